from django.contrib import admin

from .models import Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "audience", "status"]
    list_filter = ["audience", "status"]
    inlines = [QuestionInline]
