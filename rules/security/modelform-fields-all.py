from django import forms

from .models import Comment, Post


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        # ruleid: DJR604
        fields = "__all__"


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Post
        # ruleid: DJR604
        exclude = ["author"]


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        # ok: DJR604
        fields = ["title", "slug", "body"]


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        # ok: DJR604
        fields = "__all__"


class SearchForm(forms.Form):
    class Meta:
        # ok: DJR604
        fields = "__all__"
