from django.http import HttpResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect, ensure_csrf_cookie
from flask import Flask
from flask_wtf.csrf import CSRFProtect

app = Flask(__name__)
csrf_ext = CSRFProtect(app)


# ruleid: CG-CORE029
@csrf_exempt
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return HttpResponse("ok")


# ruleid: CG-CORE029
@csrf.csrf_exempt
def delete_account(request):
    request.user.delete()
    return HttpResponse("bye")


# ok: CG-CORE029
@csrf_protect
def update_profile(request):
    return HttpResponse("ok")


# ok: CG-CORE029
@ensure_csrf_cookie
def spa_entry(request):
    return HttpResponse("<div id=app></div>")


def stripe_hook(request):
    return HttpResponse(status=204)


# ruleid: CG-CORE029
@method_decorator(csrf_exempt, name="dispatch")
class TransferView(View):
    def post(self, request):
        return HttpResponse("sent")


# ok: CG-CORE029
@method_decorator(csrf_protect, name="dispatch")
class ProfileView(View):
    def post(self, request):
        return HttpResponse("saved")


urlpatterns = [
    # ruleid: CG-CORE029
    path("hooks/stripe/", csrf_exempt(stripe_hook)),
    # ok: CG-CORE029
    path("profile/", update_profile),
]


@app.post("/transfer")
# ruleid: CG-CORE029
@csrf_ext.exempt
def transfer():
    return "done"


# ruleid: CG-CORE029
app.config["WTF_CSRF_ENABLED"] = False
# ok: CG-CORE029
app.config["WTF_CSRF_ENABLED"] = True
# ok: CG-CORE029
app.config["WTF_CSRF_TIME_LIMIT"] = None


class Config:
    # ruleid: CG-CORE029
    WTF_CSRF_ENABLED = False


class ProductionConfig:
    # ok: CG-CORE029
    WTF_CSRF_ENABLED = True
