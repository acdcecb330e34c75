from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.PostList.as_view(), name="list"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("featured/<slug:slug>/", views.FeaturedPost.as_view(), name="featured"),
]
