from django import forms


class ResolutionForm(forms.Form):
    text = forms.CharField(label="表决事项", max_length=300)
    votes_for = forms.IntegerField(label="赞成", min_value=0)
    votes_against = forms.IntegerField(label="反对", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, initial=0)


class CandidateForm(forms.Form):
    member = forms.ModelChoiceField(label="候选人", queryset=None, required=False)
    votes = forms.IntegerField(label="得票", min_value=0, required=False)
    elected = forms.BooleanField(label="当选", required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("member") and data.get("votes") is None:
            self.add_error("votes", "请填写得票数。")
        return data


class BaseCandidateFormSet(forms.BaseFormSet):
    def candidates(self) -> list[tuple]:
        return [
            (f.cleaned_data["member"], f.cleaned_data["votes"], f.cleaned_data["elected"])
            for f in self.forms
            if f.cleaned_data.get("member")
        ]


CandidateFormSet = forms.formset_factory(CandidateForm, formset=BaseCandidateFormSet, extra=9, max_num=12)


class ElectionForm(forms.Form):
    seats = forms.IntegerField(label="应选名额", min_value=1, max_value=7)
    note = forms.CharField(label="说明", max_length=200, required=False)
