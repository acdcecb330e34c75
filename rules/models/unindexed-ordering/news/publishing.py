"""Editors publish articles and notes from the site: both tables grow."""

from news.models import Article, Note, PressLog, ReadLog, WireLog


def publish(title):
    return Article.objects.create(title=title)


def jot(text):
    return Note.objects.create(text=text)


def receive(desk):
    return WireLog.objects.create(desk=desk)


def opened(article):
    return ReadLog.objects.create(article=article)


def announce():
    return PressLog.objects.create()
