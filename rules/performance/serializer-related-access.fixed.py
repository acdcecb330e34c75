# DJR120 serializer-related-access: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/api.py ---
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from .models import Author, Post


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Author
        fields = ["id", "name"]


class PostSerializer(serializers.ModelSerializer):
    # ruleid: DJR120
    author = AuthorSerializer(read_only=True)
    # ruleid: DJR120
    tag_names = serializers.StringRelatedField(source="tags", many=True)
    comment_count = serializers.SerializerMethodField()
    # ok: DJR120
    author_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Post
        fields = ["id", "title", "author", "author_id", "tag_names", "comment_count"]

    def get_comment_count(self, obj):
        # ruleid: DJR120
        return obj.comments.count()


class BylineSerializer(serializers.ModelSerializer):
    # ok: DJR120
    author_name = serializers.CharField(source="author.name")

    class Meta:
        model = Post
        fields = ["id", "author_name"]


class PostList(generics.ListAPIView):
    serializer_class = PostSerializer
    queryset = (
        Post.objects.all()
        .select_related("author")
        .prefetch_related("comments", "tags")
    )


class BylineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BylineSerializer

    def get_queryset(self):
        return Post.objects.select_related("author")


class PostDetail(generics.RetrieveAPIView):
    serializer_class = BylineSerializer
    queryset = Post.objects.all()


class DynamicPrefetchViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.prefetch_related(*self.prefetches_for(self.serializer_class))


class PostFeed(DynamicPrefetchViewSet):
    # ok: DJR120
    serializer_class = PostSerializer
    queryset = Post.objects.all()


class BylineByModelAndQueryset(viewsets.ReadOnlyModelViewSet):
    # The queryset wins over the model, whatever their order.
    model = Post
    queryset = Post.objects.select_related("author")
    serializer_class = BylineSerializer


class CurrentBylines(viewsets.ReadOnlyModelViewSet):
    # A single-object viewset: its list queryset has no rows.
    serializer_class = BylineSerializer
    queryset = Post.objects.none()


class PostOfAuthorSerializer(serializers.ModelSerializer):
    # ok: DJR120
    author_name = serializers.CharField(source="author.name")

    class Meta:
        model = Post
        fields = ["id", "author_name"]


class AuthorPostsSerializer(serializers.ModelSerializer):
    # ok: DJR120
    post_set = PostOfAuthorSerializer(many=True, read_only=True)

    class Meta:
        model = Author
        fields = ["id", "post_set"]


class AuthorPosts(generics.ListAPIView):
    # Django fills post.author of every prefetched post with its author.
    serializer_class = AuthorPostsSerializer
    queryset = Author.objects.prefetch_related("post_set")


class LabelledPostSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "label"]

    def get_label(self, obj):
        names = self.context.get("author_names")
        if names is not None:
            # ok: DJR120
            return names.get(obj.author_id) or obj.author.name
        # ruleid: DJR120
        return obj.author.name.upper()


class LabelledPosts(generics.ListAPIView):
    # DRF's own context has no "author_names": only the last line of get_label runs.
    serializer_class = LabelledPostSerializer
    queryset = Post.objects.all().select_related("author")


class NamedPostSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "label"]

    def get_label(self, obj):
        names = self.context.get("author_names")
        if names is not None:
            # ruleid: DJR120
            return names.get(obj.author_id) or obj.author.name
        return ""


class NamedPosts(generics.ListAPIView):
    serializer_class = NamedPostSerializer
    queryset = Post.objects.all().select_related("author")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["author_names"] = {}
        return context


class RecentCommentsSerializer(serializers.ModelSerializer):
    recent = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "recent"]

    def get_recent(self, obj):
        # ruleid: DJR120
        return [comment.body for comment in obj.comments.filter(body__startswith="Re")]


class RecentComments(generics.ListAPIView):
    # A filter on the prefetched comments builds a new query per post.
    serializer_class = RecentCommentsSerializer
    queryset = Post.objects.prefetch_related("comments")


class JoinedBylineSerializer(serializers.ModelSerializer):
    # ok: DJR120
    author_name = serializers.CharField(source="author.name")

    class Meta:
        model = Post
        fields = ["id", "author_name"]


class OwnListBylines(viewsets.ReadOnlyModelViewSet):
    # list() serializes the rows it builds (joined), not the view's queryset.
    serializer_class = JoinedBylineSerializer
    queryset = Post.objects.all()

    def list(self, request):
        queryset = Post.objects.select_related("author")
        return Response(self.get_serializer(queryset, many=True).data)
