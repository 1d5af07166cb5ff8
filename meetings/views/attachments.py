"""A meeting's attachments (sign-in sheets, photos): upload, download through the access check, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from branches.access import check_organization
from common.http import protected_file_response

from .. import selectors, services
from ..forms import AttachmentForm
from ..models import MeetingAttachment
from .common import _flash


@login_required
@require_POST
def attachment_upload(request, pk):
    meeting = selectors.get_meeting_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        _flash(
            request,
            lambda: services.attachment_add(meeting=meeting, file=data["file"], kind=data["kind"], user=request.user),
            success="附件已上传。",
        )
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect("meetings:meeting_detail", pk=meeting.pk)


def _attachment(request, pk, *, write=False) -> MeetingAttachment:
    attachment = MeetingAttachment.objects.select_related("meeting__organization").filter(pk=pk).first()
    if attachment is None:
        raise Http404("没有找到该附件。")
    check_organization(request.user, attachment.meeting.organization, write=write)
    return attachment


@login_required
def attachment_download(request, pk):
    """Files are served through the access check, never straight from MEDIA_URL."""
    attachment = _attachment(request, pk)
    return protected_file_response(
        attachment.file.storage, attachment.file.name, filename=str(attachment), as_attachment=False
    )


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = _attachment(request, pk, write=True)
    _flash(
        request, lambda: services.attachment_delete(attachment=attachment, user=request.user), success="附件已删除。"
    )
    return redirect("meetings:meeting_detail", pk=attachment.meeting_id)
