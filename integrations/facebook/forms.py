from django import forms
from django.utils.html import format_html_join

from integrations.facebook import compose
from integrations.facebook.models import PostTemplate


def placeholder_help() -> str:
    return format_html_join(
        "", "<li><code>{{{}}}</code>: {}</li>", sorted(compose.PLACEHOLDERS.items())
    )


class PostTemplateForm(forms.ModelForm):
    class Meta:
        model = PostTemplate
        fields = ["event_type", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14, "cols": 80})}

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        errors = compose.template_errors(text)
        if errors:
            raise forms.ValidationError(errors, code="invalid_template")
        return text
