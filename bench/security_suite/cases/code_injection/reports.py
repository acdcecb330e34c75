def monthly():
    return 1


def yearly():
    return 12
