from django.urls import path

from . import views_portal as views

app_name = "members_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/sent/", views.sign_in_sent, name="sign_in_sent"),
    path("sign-in/<str:uidb64>/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("networks/<int:pk>/leave/", views.membership_leave, name="membership_leave"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("data/", views.member_data, name="member_data"),
    path("choices/", views.choices, name="choices"),
    path("choices/end-pause/", views.pause_end, name="pause_end"),
    path("download/", views.download, name="download"),
    path("download/json/", views.download_json, name="download_json"),
    path("delete/", views.erase, name="erase"),
    path("deleted/", views.erased, name="erased"),
]
