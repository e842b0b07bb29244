from django.shortcuts import render


def about_data(request):
    return render(request, "geography/about_data.html")
