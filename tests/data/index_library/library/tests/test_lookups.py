from library.models import Author


def lookup_by_name():
    # twin: missing-index — only a test looks authors up by name: no finding [author_name_test_only]
    return Author.objects.filter(name="nobody")
