"""What merging leaves of imports (partners.merge)."""

from partners.merge import links_register

# An import's items stay with the record the import created: moved to the survivor, undoing
# that import would delete the survivor. The merged record's deletion sets them to NULL.
links_register(
    left_behind={
        "imports.ImportRunItem.organization": "undoing an import must not delete the survivor",
        "imports.ImportRunItem.contact": "undoing an import must not delete the survivor",
    }
)
