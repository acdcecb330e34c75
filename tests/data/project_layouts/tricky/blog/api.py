from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from .models import Note, Post


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = "__all__"


class PostSerializer(serializers.ModelSerializer):
    notes = NoteSerializer(many=True, read_only=True)
    owner_name = serializers.CharField(source="owner.username")
    followers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    score = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = ["id", "title", "notes", "owner_name", "followers", "score"]

    def get_score(self, obj):
        return obj.notes.count()


class PostViewSet(viewsets.ModelViewSet):
    serializer_class = PostSerializer
    permission_classes = [IsAuthenticated]
    search_fields = ["title"]
    ordering_fields = ("created_at",)

    def get_queryset(self):
        return Post.objects.select_related("owner")
