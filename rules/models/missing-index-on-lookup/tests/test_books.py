from library.models import Author


def test_lookup_by_name():
    # ok: DJR201
    assert not Author.objects.filter(name="nobody").exists()
