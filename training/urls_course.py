"""Training URLs, part "course": the course, its versions, modules, materials and evaluation questions."""

from django.urls import path

from . import views_course as views

urlpatterns = [
    path("course/", views.course_list, name="course_list"),
    path("course/new/", views.course_create, name="course_create"),
    path("course/<int:pk>/", views.course_detail, name="course_detail"),
    path("course/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("course/<int:pk>/versions/new/", views.version_create, name="version_create"),
    path("course/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("course/versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("course/versions/<int:pk>/make-current/", views.version_make_current, name="version_make_current"),
    path("course/versions/<int:pk>/modules/new/", views.module_add, name="module_add"),
    path("course/versions/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("course/versions/<int:pk>/questions/new/", views.question_add, name="question_add"),
    path("course/modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("course/modules/<int:pk>/remove/", views.module_remove, name="module_remove"),
    path("course/modules/<int:pk>/move/", views.module_move, name="module_move"),
    path("course/materials/<int:pk>/", views.material_download, name="material_download"),
    path("course/materials/<int:pk>/remove/", views.material_remove, name="material_remove"),
    path("course/questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("course/questions/<int:pk>/remove/", views.question_remove, name="question_remove"),
    path("course/questions/<int:pk>/move/", views.question_move, name="question_move"),
]
