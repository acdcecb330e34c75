from . import codec
from .models import ServerConfig


class Responder:
    def restore(self):
        return codec.unpack_message(ServerConfig.objects.get(key="last").value)

    def receive(self, packed):
        return codec.unpack_message(packed)
