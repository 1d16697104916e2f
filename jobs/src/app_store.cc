#include "cutroom/jobs/app_store.h"

#include <array>
#include <utility>

namespace cutroom::jobs {
namespace {

// Also the spelling stored in the database: never rename an entry.
constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames{{
    {Role::kViewer, "viewer"},
    {Role::kEditor, "editor"},
    {Role::kAdmin, "admin"},
    {Role::kOwner, "owner"},
}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "invalid";
}

Result<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return InvalidArgumentError("unknown role '" + std::string(name) +
                              "' (viewer, editor, admin, owner)");
}

}  // namespace cutroom::jobs
