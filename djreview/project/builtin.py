"""Django's own models, known without Django installed.

The model-relevant parts of django.contrib (Django 5.2) are kept here as
source text and indexed exactly like project code, so a project's
`class Member(AbstractUser)` inherits `username`, `groups`... and
`ForeignKey(User)` resolves, with no import of Django. Their paths start with
`<django>/`, which no project file can have.
"""

from __future__ import annotations

from pathlib import Path

from djreview.source.file import SourceFile

BUILTIN_PREFIX = "<django>/"

# Module -> app label, for the synthetic modules below.
BUILTIN_APP_LABELS = {
    "django.contrib.auth.base_user": "auth",
    "django.contrib.auth.models": "auth",
    "django.contrib.contenttypes.models": "contenttypes",
    "django.contrib.sessions.base_session": "sessions",
    "django.contrib.sessions.models": "sessions",
    "django.contrib.sites.models": "sites",
    "django.contrib.admin.models": "admin",
    "django.contrib.flatpages.models": "flatpages",
    "django.contrib.redirects.models": "redirects",
}

_SOURCES = {
    "django.contrib.auth.base_user": """
from django.db import models

class BaseUserManager(models.Manager):
    def normalize_email(cls, email): ...
    def get_by_natural_key(self, username): ...

class AbstractBaseUser(models.Model):
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(blank=True, null=True)

    class Meta:
        abstract = True

    def get_username(self): ...
    def natural_key(self): ...
    def set_password(self, raw_password): ...
    def check_password(self, raw_password): ...
    def set_unusable_password(self): ...
    def has_usable_password(self): ...
    def get_session_auth_hash(self): ...
    def get_email_field_name(cls): ...
    @property
    def is_anonymous(self): ...
    @property
    def is_authenticated(self): ...
""",
    "django.contrib.auth.models": """
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models

class PermissionManager(models.Manager):
    def get_by_natural_key(self, codename, app_label, model): ...

class Permission(models.Model):
    name = models.CharField(max_length=255)
    content_type = models.ForeignKey(ContentType, models.CASCADE)
    codename = models.CharField(max_length=100)
    objects = PermissionManager()

    class Meta:
        unique_together = [["content_type", "codename"]]
        ordering = ["content_type__app_label", "content_type__model", "codename"]

class GroupManager(models.Manager):
    def get_by_natural_key(self, name): ...

class Group(models.Model):
    name = models.CharField(max_length=150, unique=True)
    permissions = models.ManyToManyField(Permission, blank=True)
    objects = GroupManager()

class UserManager(BaseUserManager):
    def create_user(self, username, email=None, password=None, **extra_fields): ...
    def create_superuser(self, username, email=None, password=None, **extra_fields): ...
    def with_perm(self, perm, is_active=True, include_superusers=True, backend=None, obj=None): ...

class PermissionsMixin(models.Model):
    is_superuser = models.BooleanField(default=False)
    groups = models.ManyToManyField(
        Group, blank=True, related_name="user_set", related_query_name="user"
    )
    user_permissions = models.ManyToManyField(
        Permission, blank=True, related_name="user_set", related_query_name="user"
    )

    class Meta:
        abstract = True

    def get_user_permissions(self, obj=None): ...
    def get_group_permissions(self, obj=None): ...
    def get_all_permissions(self, obj=None): ...
    def has_perm(self, perm, obj=None): ...
    def has_perms(self, perm_list, obj=None): ...
    def has_module_perms(self, app_label): ...

class AbstractUser(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField()
    objects = UserManager()

    class Meta:
        abstract = True

    def clean(self): ...
    def get_full_name(self): ...
    def get_short_name(self): ...
    def email_user(self, subject, message, from_email=None, **kwargs): ...

class User(AbstractUser):
    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
""",
    "django.contrib.contenttypes.models": """
from django.db import models

class ContentTypeManager(models.Manager):
    def get_by_natural_key(self, app_label, model): ...
    def get_for_model(self, model, for_concrete_model=True): ...
    def get_for_models(self, *models, for_concrete_models=True): ...
    def get_for_id(self, id): ...
    def clear_cache(self): ...

class ContentType(models.Model):
    app_label = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    objects = ContentTypeManager()

    class Meta:
        db_table = "django_content_type"
        unique_together = [["app_label", "model"]]

    def model_class(self): ...
    def get_object_for_this_type(self, using=None, **kwargs): ...
    def get_all_objects_for_this_type(self, **kwargs): ...
    def natural_key(self): ...
""",
    "django.contrib.sessions.base_session": """
from django.db import models

class BaseSessionManager(models.Manager):
    def encode(self, session_dict): ...
    def save(self, session_key, session_dict, expire_date): ...

class AbstractBaseSession(models.Model):
    session_key = models.CharField(max_length=40, primary_key=True)
    session_data = models.TextField()
    expire_date = models.DateTimeField(db_index=True)
    objects = BaseSessionManager()

    class Meta:
        abstract = True

    def get_decoded(self): ...
""",
    "django.contrib.sessions.models": """
from django.contrib.sessions.base_session import AbstractBaseSession, BaseSessionManager

class SessionManager(BaseSessionManager):
    pass

class Session(AbstractBaseSession):
    objects = SessionManager()

    class Meta(AbstractBaseSession.Meta):
        db_table = "django_session"
""",
    "django.contrib.sites.models": """
from django.db import models

class SiteManager(models.Manager):
    def get_current(self, request=None): ...
    def clear_cache(self): ...
    def get_by_natural_key(self, domain): ...

class Site(models.Model):
    domain = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=50)
    objects = SiteManager()

    class Meta:
        db_table = "django_site"
        ordering = ["domain"]
""",
    "django.contrib.admin.models": """
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

class LogEntryManager(models.Manager):
    def log_action(self, user_id, content_type_id, object_id, object_repr, action_flag): ...
    def log_actions(self, user_id, queryset, action_flag, change_message=""): ...

class LogEntry(models.Model):
    action_time = models.DateTimeField(editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE)
    content_type = models.ForeignKey(ContentType, models.SET_NULL, blank=True, null=True)
    object_id = models.TextField(blank=True, null=True)
    object_repr = models.CharField(max_length=200)
    action_flag = models.PositiveSmallIntegerField(choices=[(1, "+"), (2, "~"), (3, "-")])
    change_message = models.TextField(blank=True)
    objects = LogEntryManager()

    class Meta:
        db_table = "django_admin_log"
        ordering = ["-action_time"]

    def is_addition(self): ...
    def is_change(self): ...
    def is_deletion(self): ...
    def get_change_message(self): ...
    def get_edited_object(self): ...
    def get_admin_url(self): ...
""",
    "django.contrib.flatpages.models": """
from django.contrib.sites.models import Site
from django.db import models

class FlatPage(models.Model):
    url = models.CharField(max_length=100, db_index=True)
    title = models.CharField(max_length=200)
    content = models.TextField(blank=True)
    enable_comments = models.BooleanField(default=False)
    template_name = models.CharField(max_length=70, blank=True)
    registration_required = models.BooleanField(default=False)
    sites = models.ManyToManyField(Site)

    class Meta:
        db_table = "django_flatpage"
        ordering = ["url"]

    def get_absolute_url(self): ...
""",
    "django.contrib.redirects.models": """
from django.contrib.sites.models import Site
from django.db import models

class Redirect(models.Model):
    site = models.ForeignKey(Site, models.CASCADE)
    old_path = models.CharField(max_length=200, db_index=True)
    new_path = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "django_redirect"
        unique_together = [["site", "old_path"]]
        ordering = ["old_path"]
""",
}


def builtin_files() -> list[tuple[str, SourceFile]]:
    """(module name, synthetic SourceFile) for each of Django's model modules above."""
    result = []
    for module, text in _SOURCES.items():
        rel = BUILTIN_PREFIX + module.replace(".", "/") + ".py"
        result.append((module, SourceFile(path=Path(rel), rel=rel, kind="python", text=text)))
    return result
