"""Stand-alone helper: fetches an OAuth2 token for the operator to paste into settings."""

import logging
import sys

import requests

logger = logging.getLogger(__name__)


def main(argv):
    response = requests.post("https://oauth2.example/token", data={"code": argv[1]}).json()
    # ok: DJR608
    print("Refresh Token: %s" % response["refresh_token"])
    # ruleid: DJR608
    logger.info("refresh token %s", response["refresh_token"])


if __name__ == "__main__":
    main(sys.argv)
