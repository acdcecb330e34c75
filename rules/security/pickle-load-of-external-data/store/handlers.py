from .codec import dbunserialize
from .models import ServerConfig


class TaskHandler:
    def load(self):
        value = ServerConfig.objects.filter(key="tasks").values_list("value", flat=True)
        tasks = dbunserialize(value) if value else {}
        for task_id, value in tasks.items():
            self.tasks[task_id] = dbunserialize(value)
