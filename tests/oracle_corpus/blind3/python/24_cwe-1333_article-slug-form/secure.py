import re

from django import forms
from django.core.exceptions import ValidationError

from .models import Article

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ArticleForm(forms.ModelForm):
    slug = forms.CharField(
        max_length=120,
        help_text="Lowercase letters and digits, words separated by single hyphens.",
    )

    class Meta:
        model = Article
        fields = ["title", "slug", "summary", "body", "published"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"].strip().lower()
        if not SLUG_RE.match(slug):
            raise ValidationError("Use lowercase letters and digits separated by single hyphens.")

        clash = Article.objects.filter(slug=slug)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("This slug is already used by another article.")
        return slug
