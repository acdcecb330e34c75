"""Stand-alone training script: the operator runs it by hand; no module imports it."""

import pickle
import sys
from urllib.request import urlopen

VOCAB_PATH = "data/vocab.pkl"


def main(argv):
    with open(VOCAB_PATH, "rb") as f:
        # ok: DJR325
        vocab = pickle.load(f)
    # ok: DJR325
    checkpoint = pickle.load(open(argv[2], "rb"))
    with urlopen(argv[1]) as response:
        # ruleid: DJR325
        remote = pickle.load(response)
    # ruleid: DJR325
    piped = pickle.load(sys.stdin.buffer)
    return vocab, checkpoint, remote, piped


if __name__ == "__main__":
    main(sys.argv)
