from accounts.signup import register


def signup(request):
    register(request.POST["email"], request.POST["password"])
