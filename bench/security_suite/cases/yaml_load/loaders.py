import yaml
from ruamel.yaml import YAML
from yaml import load as yload


def import_config(upload):
    # suite: positive
    data = yaml.load(upload.read(), Loader=yaml.Loader)
    # suite: safe
    safe = yaml.safe_load(upload.read())
    return data, safe


def import_many(stream):
    # suite: positive
    docs = list(yaml.load_all(stream, Loader=yaml.UnsafeLoader))
    # suite: safe
    plain = list(yaml.safe_load_all(stream))
    return docs, plain


def import_alias(stream):
    # suite: positive
    return yload(stream, Loader=yaml.UnsafeLoader)


def import_full(stream):
    # PyYAML >= 5.4: the full loader constructs no objects.
    # suite: safe
    return yload(stream, Loader=yaml.FullLoader)


def import_ruamel(stream):
    # suite: positive
    unsafe = YAML(typ="unsafe").load(stream)
    # suite: safe
    round_trip = YAML().load(stream)
    return unsafe, round_trip


def import_ruamel_local(stream):
    yaml = YAML(typ="safe")
    # suite: safe
    return yaml.load(stream)
