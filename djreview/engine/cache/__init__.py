"""The on-disk result cache: what a run may reuse from the last one.

Three levels, each keyed by the content it depends on (see `keys.py`):

* a whole-run entry (every file digest, the rule set, the config, the engine
  code): an unchanged re-run reads the files, hashes them and prints;
* one entry per file: the findings of each rule group on that file, each
  tagged with what else it read (nothing, the project model, or the whole
  project) and the fingerprint of that dependency when it ran;
* one entry per whole-project check, tagged the same way.

An entry is reused only while its dependency's fingerprint is unchanged, so a
changed `models.py` re-runs every check that read the index, while a changed
view re-runs only the rules on that view (when the index reports a
fingerprint of the facts it holds; otherwise the index counts as the whole
project). Entries are JSON with a checksum, written atomically: a truncated,
corrupt or foreign entry is a miss, never an error, and never code execution.
"""
