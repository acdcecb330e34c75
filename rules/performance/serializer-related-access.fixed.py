# DJR120 serializer-related-access: the sample after its fixes (DJREVIEW_UPDATE_SNAPSHOTS=1)
# --- app/api.py ---
from rest_framework import generics, serializers, viewsets

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
    queryset = Post.objects.all().select_related("author").prefetch_related("comments", "tags")


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
