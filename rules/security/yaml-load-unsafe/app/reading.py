import yaml
from yaml import SafeLoader, load
from yaml import load as yload

from app import loaders
from app.loaders import LegacyLoader


def read(upload, path):
    # ruleid: DJR304
    config = yaml.load(upload.read(), Loader=yaml.Loader)
    # ruleid: DJR304
    docs = list(yaml.load_all(open(path)))
    # ruleid: DJR304
    other = load(upload)
    # ok: DJR304
    named = load(upload, Loader=SafeLoader)
    # ruleid: DJR304
    aliased = yload(upload, Loader=yaml.UnsafeLoader)
    # ok: DJR304 -- PyYAML >= 5.4's full loader builds no objects (no pin below 5.4 here)
    full = yload(upload, Loader=yaml.FullLoader)
    # ok: DJR304
    safe = yaml.safe_load(upload.read())
    # ok: DJR304
    explicit = yaml.load(upload.read(), Loader=yaml.SafeLoader)
    # ok: DJR304
    positional = yaml.load(upload.read(), yaml.CSafeLoader)
    # ok: DJR304
    data = json.load(upload)
    return config, docs, other, named, aliased, full, safe, explicit, positional, data


def read_own(stream):
    # ok: DJR304 -- the project's loader, built on SafeLoader, adds only a file-include tag
    included = yaml.load(stream, Loader=loaders.IncludeLoader)
    # ruleid: DJR304
    objects = yaml.load(stream, Loader=loaders.ObjectLoader)
    # ruleid: DJR304
    legacy = yaml.load(stream, Loader=LegacyLoader)
    # ruleid: DJR304 -- its `!object` constructor imports and calls what the document names
    tagged = yaml.load(stream, Loader=loaders.ObjectTagLoader)
    return included, objects, legacy, tagged


def round_trip(text):
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")  # ruamel's object, not the PyYAML module
    # ok: DJR304
    return yaml.load(text)
