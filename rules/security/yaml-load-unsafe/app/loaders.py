from pydoc import locate

import yaml


class IncludeLoader(yaml.SafeLoader):
    """The project's own safe loader, with a tag that reads another file."""

    def include(self, node):
        with open(self.construct_scalar(node)) as f:
            # ok: DJR304
            return yaml.load(f, IncludeLoader)


IncludeLoader.add_constructor("!include", IncludeLoader.include)


class ObjectLoader(yaml.SafeLoader):
    pass


ObjectLoader.add_constructor(
    "tag:yaml.org,2002:python/object/apply", yaml.UnsafeLoader.construct_python_object_apply
)


class LegacyLoader(yaml.Loader):
    pass


def make_object(loader, node):
    return locate(loader.construct_scalar(node))()


class ObjectTagLoader(yaml.SafeLoader):
    pass


ObjectTagLoader.add_constructor("!object", make_object)
