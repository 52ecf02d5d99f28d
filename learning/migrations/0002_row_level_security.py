from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_sessions_lessons_visits_evaluations")]
    operations = [
        EnableCountyRLS(model)
        for model in (
            "PauseAndReflect",
            "SessionOrganization",
            "SessionMember",
            "ReflectionAnswer",
            "Lesson",
            "LessonSector",
            "LessonTheme",
            "LearningBrief",
            "BriefLesson",
            "MonitoringVisit",
            "VisitWard",
            "VisitSector",
            "VisitOrganization",
            "VisitFinding",
            "VisitPhoto",
            "VisitAction",
            "Evaluation",
            "CriterionRating",
            "Recommendation",
            "RecommendationUpdate",
            "CloseOut",
            "CloseOutLesson",
        )
    ]
