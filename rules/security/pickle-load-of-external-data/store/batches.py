import pickle
from base64 import b64decode, b64encode

from store.models import QueuedBatch, Snapshot


def enqueue(notices):
    QueuedBatch.objects.create(pickled_data=b64encode(pickle.dumps(notices)).decode())


def drain():
    for batch in QueuedBatch.objects.all():
        # ok: DJR325 -- every write of pickled_data in the project is pickle output
        yield pickle.loads(b64decode(batch.pickled_data))


def freeze(state):
    Snapshot.objects.create(frozen_state=b64encode(pickle.dumps(state)).decode())


def import_snapshot(request):
    Snapshot.objects.create(frozen_state=request.POST["frozen_state"])


def thaw():
    for snapshot in Snapshot.objects.all():
        # ruleid: DJR325
        yield pickle.loads(b64decode(snapshot.frozen_state))
