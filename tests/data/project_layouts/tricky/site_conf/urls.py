from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from blog import views as blog_views
from blog.api import PostViewSet

router = DefaultRouter()
router.register("posts", PostViewSet, basename="post")

extra_patterns = [
    re_path(r"^tag/(?P<slug>[-\w]+)/$", blog_views.tag, name="tag"),
]

urlpatterns = [
    path("blog/", include("blog.urls")),
    path("extra/", include((extra_patterns, "extra"))),
    path("api/", include(router.urls)),
]
urlpatterns += [path("about/", blog_views.AboutView.as_view(template_name="about.html"))]
