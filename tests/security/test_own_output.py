"""Values the code chose itself: a script's output, its own pickles, a counter family."""

from __future__ import annotations

from helpers import make_repo, run_tree, write_tree

_SCRIPT = (
    "import sys\n\n\n"
    "def main(token):\n"
    "    print('Access Token: %s' % token)\n\n\n"
    "if __name__ == '__main__':\n"
    "    main(sys.argv[1])\n"
)


def _findings(root, files, select=("security", "DJR608", "DJR325")):
    write_tree(make_repo(root), files)
    return sorted(
        (f.rule_id, f.location.path, f.location.start_line)
        for f in run_tree(root, select=select).active
    )


def test_print_in_a_script_nothing_imports_is_its_output(tmp_path) -> None:
    files = {"mail/__init__.py": "", "mail/oauth.py": _SCRIPT}
    tested = {**files, "tests/test_oauth.py": "from mail.oauth import main\n"}
    assert _findings(tmp_path / "alone", files) == []
    assert _findings(tmp_path / "tested", tested) == []


def test_print_in_a_script_the_project_imports_is_reported(tmp_path) -> None:
    found = [("DJR608", "mail/oauth.py", 5)]
    for name, importer in [
        ("relative", "from . import oauth\n"),
        ("absolute", "import mail.oauth\n"),
        ("in_function", "def f():\n    from mail.oauth import main\n"),
        ("dotted_string", "TASK = 'mail.oauth.main'\n"),
    ]:
        files = {"mail/__init__.py": "", "mail/oauth.py": _SCRIPT, "mail/views.py": importer}
        assert _findings(tmp_path / name, files) == found, name


def test_print_in_a_module_without_a_main_block_is_reported(tmp_path) -> None:
    library = _SCRIPT.rpartition("if __name__")[0]
    files = {"mail/__init__.py": "", "mail/oauth.py": library}
    assert _findings(tmp_path, files) == [("DJR608", "mail/oauth.py", 5)]


_HELPER = "def create_user(email, password):\n    print('created', email, password)\n"


def test_print_in_a_helper_only_commands_import_is_operator_output(tmp_path) -> None:
    command = "from demo.sample import create_user\n"
    files = {
        "demo/__init__.py": "",
        "demo/sample.py": _HELPER,
        "demo/management/__init__.py": "",
        "demo/management/commands/__init__.py": "",
        "demo/management/commands/setup.py": command,
        "tests/test_sample.py": command,
    }
    assert _findings(tmp_path / "commands", files) == []
    served = {**files, "demo/views.py": command}
    assert _findings(tmp_path / "served", served) == [("DJR608", "demo/sample.py", 2)]
    alone = {"demo/__init__.py": "", "demo/sample.py": _HELPER}
    assert _findings(tmp_path / "alone", alone) == [("DJR608", "demo/sample.py", 2)]


_CODEC = (
    "import pickle\n\n"
    "from django.db import models\n\n\n"
    "def encode(value):\n"
    "    return pickle.dumps(value)\n\n\n"
    "def decode(value):\n"
    "    return pickle.loads(value)\n\n\n"
    "class PickledField(models.Field):\n"
    "    def from_db_value(self, value, expression, connection):\n"
    "        return decode(value)\n\n"
    "    def get_prep_value(self, value):\n"
    "        return encode(value)\n"
)


def test_pickle_codec_only_a_model_field_reads_back_is_its_own_storage(tmp_path) -> None:
    files = {"store/__init__.py": "", "store/fields.py": _CODEC}
    assert _findings(tmp_path, files) == []


def test_pickle_codec_another_module_calls_is_judged_as_before(tmp_path) -> None:
    files = {
        "store/__init__.py": "",
        "store/fields.py": _CODEC,
        "store/wire.py": "from store.fields import decode\n\n\ndef on_data(packet):\n"
        "    return decode(packet)\n",
    }
    assert _findings(tmp_path, files) == [("DJR325", "store/fields.py", 11)]


_ROW_CODEC = (
    "from pickle import dumps, loads\n\n\n"
    "def do_pickle(data):\n"
    "    return dumps(data)\n\n\n"
    "def do_unpickle(data):\n"
    "    return loads(bytes(data))\n\n\n"
    "def dbunserialize(data, owner=None):\n"
    "    return (do_unpickle(data), owner)\n"
)
_SERVER_CONFIG = (
    "from django.db import models\n\n\n"
    "class ServerConfig(models.Model):\n"
    "    key = models.CharField(max_length=64)\n"
    "    value = models.BinaryField()\n"
)
_HANDLERS = (
    "from store.codec import dbunserialize\n"
    "from store.models import ServerConfig\n\n\n"
    "class TaskHandler:\n"
    "    def load(self):\n"
    "        value = ServerConfig.objects.filter(key='tasks').values_list('value', flat=True)\n"
    "        tasks = dbunserialize(value) if value else {}\n"
    "        for task_id, value in tasks.items():\n"
    "            self.tasks[task_id] = dbunserialize(value)\n"
)


def test_pickle_codec_whose_callers_read_the_projects_own_rows_is_its_own_storage(
    tmp_path,
) -> None:
    files = {
        "store/__init__.py": "",
        "store/codec.py": _ROW_CODEC,
        "store/models.py": _SERVER_CONFIG,
        "store/handlers.py": _HANDLERS,
    }
    assert _findings(tmp_path, files) == []


def test_a_wrapper_calling_the_codec_twice_is_judged_once_at_its_callers(tmp_path) -> None:
    twice = _ROW_CODEC.replace(
        "    return (do_unpickle(data), owner)\n",
        "    return do_unpickle(data) if owner is None else (do_unpickle(data), owner)\n",
    )
    files = {
        "store/__init__.py": "",
        "store/codec.py": twice,
        "store/models.py": _SERVER_CONFIG,
        "store/handlers.py": _HANDLERS,
    }
    assert twice != _ROW_CODEC
    assert _findings(tmp_path, files) == []


def test_pickle_codec_a_caller_hands_network_bytes_stays_reported(tmp_path) -> None:
    files = {
        "store/__init__.py": "",
        "store/codec.py": _ROW_CODEC,
        "store/models.py": _SERVER_CONFIG,
        "store/handlers.py": _HANDLERS,
        "store/wire.py": "from store import codec\n\n\nclass Responder:\n"
        "    def receive(self, packed):\n"
        "        return codec.dbunserialize(packed)\n",
    }
    assert _findings(tmp_path, files) == [("DJR325", "store/codec.py", 9)]


_RATING = (
    "from django.db import models\n\n\n"
    "class Rating(models.Model):\n"
    "    votes_up = models.IntegerField(default=0)\n"
    "    votes_down = models.IntegerField(default=0)\n"
    "    is_hidden = models.BooleanField(default=False)\n"
    "    owner = models.ForeignKey('auth.User', on_delete=models.CASCADE)\n"
)
_RATE = (
    "from django.db.models import F\n\n"
    "from .models import Rating\n\n\n"
    "def rate(request, rating_id):\n"
    "    rating = Rating.objects.get(id=rating_id)\n"
    "    counter = {name}\n"
    "    setattr(rating, counter, F(counter) + 1)\n"
    "    rating.save()\n"
)


def test_setattr_confined_by_a_literal_prefix_to_plain_counters(tmp_path) -> None:
    def found(name, built):
        files = {
            "votes/__init__.py": "",
            "votes/models.py": _RATING,
            "votes/views.py": _RATE.format(name=built),
        }
        return _findings(tmp_path / name, files, select=("DJR605",))

    reported = [("DJR605", "votes/views.py", 9)]
    assert found("format", '"votes_{}".format(request.POST["vote"])') == []
    assert found("fstring", "f\"votes_{request.POST['vote']}\"") == []
    assert found("permission", '"is_" + request.POST["flag"]') == reported
    assert found("no_separator", '"own" + request.POST["flag"]') == reported
    assert found("no_prefix", 'request.POST["field"]') == reported
    assert found("no_field", '"score_" + request.POST["vote"]') == reported


_TRAINING_SCRIPT = (
    "import pickle\n"
    "import sys\n\n\n"
    "def main(path):\n"
    "    with open(path, 'rb') as f:\n"
    "        return pickle.load(f)\n\n\n"
    "if __name__ == '__main__':\n"
    "    main(sys.argv[1])\n"
)


def test_pickle_of_a_local_file_in_a_script_nothing_imports_is_not_reported(tmp_path) -> None:
    files = {"ml/__init__.py": "", "ml/train.py": _TRAINING_SCRIPT}
    tested = {**files, "tests/test_train.py": "from ml.train import main\n"}
    assert _findings(tmp_path / "alone", files) == []
    assert _findings(tmp_path / "tested", tested) == []


def test_pickle_of_a_local_file_in_a_module_the_project_imports_is_reported(tmp_path) -> None:
    found = [("DJR325", "ml/train.py", 7)]
    imported = {
        "ml/__init__.py": "",
        "ml/train.py": _TRAINING_SCRIPT,
        "ml/views.py": "from ml.train import main\n",
    }
    library = {"ml/__init__.py": "", "ml/train.py": _TRAINING_SCRIPT.rpartition("if __name__")[0]}
    assert _findings(tmp_path / "imported", imported) == found
    assert _findings(tmp_path / "library", library) == found
