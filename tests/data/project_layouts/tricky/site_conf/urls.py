from django.urls import include, path, re_path

from blog import views as blog_views

extra_patterns = [
    re_path(r"^tag/(?P<slug>[-\w]+)/$", blog_views.tag, name="tag"),
]

urlpatterns = [
    path("blog/", include("blog.urls")),
    path("extra/", include((extra_patterns, "extra"))),
]
urlpatterns += [path("about/", blog_views.AboutView.as_view(template_name="about.html"))]
