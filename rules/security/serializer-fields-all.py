from rest_framework import serializers

from .models import Order, Product


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        # ruleid: DJR603
        fields = "__all__"


class OrderSerializer(serializers.HyperlinkedModelSerializer):
    class Meta:
        model = Order
        # ruleid: DJR603
        exclude = ["internal_note"]


class ProductSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        # ok: DJR603
        fields = ["id", "name", "slug", "price"]
        read_only_fields = ["id", "slug"]


class PlainSerializer(serializers.Serializer):
    class Meta:
        # ok: DJR603
        fields = "__all__"


class ProductDetailSerializer(ProductSummarySerializer):
    class Meta(ProductSummarySerializer.Meta):
        # ok: DJR603
        fields = ProductSummarySerializer.Meta.fields + ["description"]
