from django import forms


class ResolutionForm(forms.Form):
    text = forms.CharField(label="表决事项", max_length=300)
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, initial=0)
