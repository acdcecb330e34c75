import yaml
from yaml import load


def read(upload, path):
    # ruleid: DJR304
    config = yaml.load(upload.read(), Loader=yaml.Loader)
    # ruleid: DJR304
    docs = list(yaml.load_all(open(path)))
    # ok: DJR304
    other = load(upload)
    # ok: DJR304
    safe = yaml.safe_load(upload.read())
    # ok: DJR304
    explicit = yaml.load(upload.read(), Loader=yaml.SafeLoader)
    # ok: DJR304
    positional = yaml.load(upload.read(), yaml.CSafeLoader)
    # ok: DJR304
    data = json.load(upload)
    return config, docs, other, safe, explicit, positional, data
