from django.template import Context, Engine
from jinja2 import Environment, select_autoescape

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            # ruleid: DJR320
            "autoescape": False,
            # ok: DJR320
            "debug": False,
        },
    },
]


def render(template, data):
    # ruleid: DJR320
    context = Context(data, autoescape=False)
    # ruleid: DJR320
    env = Environment(autoescape=False)
    # ok: DJR320
    safe = Context(data)
    # ok: DJR320
    jinja = Environment(autoescape=select_autoescape())
    # ok: DJR320
    engine = Engine(autoescape=True)
    return template.render(context), env, safe, jinja, engine


def test_params(template):
    # ok: DJR320
    assert template.get_environment_params() == {"autoescape": False}
    # ok: DJR320
    return render_config(template, autoescape=False)
