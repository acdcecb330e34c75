from pickle import dumps, loads


def do_pickle(data):
    return dumps(data)


def do_unpickle(data):
    # ok: DJR325 -- every caller, two levels away, reads the project's own rows
    return loads(bytes(data))


def dbunserialize(data, owner=None):
    return (do_unpickle(data), owner)


def pack_message(data):
    return dumps(data)


def unpack_message(data):
    # ruleid: DJR325 -- a responder hands it the bytes it received
    return loads(data)
