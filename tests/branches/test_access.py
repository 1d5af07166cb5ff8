import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from branches.access import Access, get_organization_for_user, organization_access, visible_organizations


def test_each_role_reaches_exactly_its_subtree(tree, cast):
    assert organization_access(cast.sasac, tree.branch_c) == Access.READ
    assert organization_access(cast.committee, tree.branch_a) == Access.WRITE
    assert organization_access(cast.committee, tree.branch_c) == Access.NONE
    assert organization_access(cast.secretary, tree.group_a) == Access.WRITE
    assert organization_access(cast.secretary, tree.branch_b) == Access.NONE
    assert organization_access(cast.secretary, tree.committee_a) == Access.NONE
    assert organization_access(cast.admin, tree.root) == Access.WRITE


def test_visible_organizations_is_the_subtree(tree, cast):
    codes = set(visible_organizations(cast.committee).values_list("code", flat=True))
    assert codes == {"EA", "EA-B1", "EA-B1-G1", "EA-B2"}
    assert set(visible_organizations(cast.secretary2).values_list("code", flat=True)) == {"EA-B2"}


def test_outsider_gets_404_and_reader_gets_403(tree, cast):
    with pytest.raises(Http404):
        get_organization_for_user(cast.secretary2, "EA-B1")
    with pytest.raises(PermissionDenied):
        get_organization_for_user(cast.sasac, "EA-B1", write=True)
    assert get_organization_for_user(cast.secretary, "EA-B1", write=True) == tree.branch_a
