import ruamel.yaml
from ruamel.yaml import YAML
from mylib import YAML as Config


def read(upload):
    # ruleid: DJR327
    unsafe = YAML(typ="unsafe").load(upload.read())
    # ok: DJR327
    safe = YAML(typ="safe").load(upload.read())
    # ruleid: DJR327
    legacy = ruamel.yaml.load(upload.read(), Loader=ruamel.yaml.Loader)
    # ok: DJR327
    legacy_safe = ruamel.yaml.load(upload.read(), Loader=ruamel.yaml.SafeLoader)
    # ok: DJR327
    other = Config(typ="unsafe")
    return unsafe, safe, legacy, legacy_safe, other


def read_round_trip(upload):
    yaml = YAML()
    # ok: DJR327
    return yaml.load(upload.read())


def read_many(upload):
    # ruleid: DJR327
    return ruamel.yaml.YAML(typ=["unsafe"], pure=True).load_all(upload.read())
