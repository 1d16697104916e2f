// /api/v1/workspaces/{ws}/brands: brand kits. Settings are validated field by field so a brand
// never holds a value a pipeline cannot use:
//   niche (text), font (text), colors {primary, secondary, text, background: "#RRGGBB"},
//   logo_upload_id, watermark_upload_id (uploads of the workspace), caption_style, aspect
//   ("9:16", "1:1", "4:5", "16:9"), clips (1..50), min_s, max_s (1..600), auto_approve (bool),
//   min_score (0..100).
#include <algorithm>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/json_input.h"
#include "captions/caption_styles.h"

namespace cutroom::server::api {
namespace {

using nlohmann::json;

bool IsHexColour(const json& v) {
  if (!v.is_string()) return false;
  std::string s = v.get<std::string>();
  if (s.size() != 7 || s[0] != '#') return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

Status CheckSettings(ApiContext& ctx, int64_t ws, const json& s) {
  for (const auto& [key, v] : s.items()) {
    auto bad = [&](const std::string& what) { return InvalidArgumentError("settings." + key + " " + what); };
    if (key == "niche" || key == "font") {
      if (!v.is_string()) return bad("must be a string");
      CR_RETURN_IF_ERROR(CheckText(v.get<std::string>(), "settings." + key, 200));
    } else if (key == "colors") {
      if (!v.is_object()) return bad("must be an object");
      for (const auto& [name, c] : v.items()) {
        if (name != "primary" && name != "secondary" && name != "text" && name != "background") {
          return bad("has unknown colour \"" + name + "\" (primary, secondary, text, background)");
        }
        if (!IsHexColour(c)) return bad("." + name + " must be \"#RRGGBB\"");
      }
    } else if (key == "logo_upload_id" || key == "watermark_upload_id") {
      if (!v.is_number_integer()) return bad("must be an upload id");
      CR_RETURN_IF_ERROR(ctx.app.GetUpload(ws, v.get<int64_t>()).status());
    } else if (key == "caption_style") {
      auto names = captions::StyleNames();
      if (!v.is_string() || std::find(names.begin(), names.end(), v.get<std::string>()) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        return bad("must be a caption style: " + list);
      }
    } else if (key == "aspect") {
      if (!v.is_string() || (v != "9:16" && v != "1:1" && v != "4:5" && v != "16:9")) {
        return bad("must be 9:16, 1:1, 4:5 or 16:9");
      }
    } else if (key == "clips") {
      if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 50) return bad("must be 1..50");
    } else if (key == "min_s" || key == "max_s") {
      if (!v.is_number() || v.get<double>() < 1 || v.get<double>() > 600) return bad("must be 1..600 seconds");
    } else if (key == "min_score") {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100) return bad("must be 0..100");
    } else if (key == "auto_approve") {
      if (!v.is_boolean()) return bad("must be true or false");
    } else {
      return InvalidArgumentError("unknown brand setting \"" + key + "\"");
    }
  }
  return Status::Ok();
}

Result<jobs::Brand> BrandFromBody(ApiContext& ctx, const Call& call, jobs::Brand brand, bool create) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"name", "settings"}));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> name, in.OptString("name", 100));
  if (create && !name) return InvalidArgumentError("name is required");
  if (name) brand.name = *name;
  CR_ASSIGN_OR_RETURN(std::optional<json> settings, in.OptObject("settings"));
  if (settings) {
    CR_RETURN_IF_ERROR(CheckSettings(ctx, call.workspace_id, *settings));
    brand.settings_json = settings->dump();
  } else if (create) {
    brand.settings_json = "{}";
  }
  brand.updated_at_ms = ctx.NowMs();
  return brand;
}

Result<http::Response> CreateBrand(ApiContext& ctx, Call& call) {
  jobs::Brand brand;
  brand.workspace_id = call.workspace_id;
  brand.created_at_ms = ctx.NowMs();
  CR_ASSIGN_OR_RETURN(brand, BrandFromBody(ctx, call, brand, true));
  CR_ASSIGN_OR_RETURN(brand.id, ctx.app.CreateBrand(brand));
  ctx.Audit(call, "brand.create", "brand:" + std::to_string(brand.id));
  return JsonResponse(201, BrandJson(brand).dump());
}

Result<http::Response> ListBrands(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(std::vector<jobs::Brand> brands, ctx.app.ListBrands(call.workspace_id));
  json items = json::array();
  for (const jobs::Brand& b : brands) items.push_back(BrandJson(b));
  return JsonResponse(200, json{{"items", items}}.dump());
}

Result<http::Response> GetBrand(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_ASSIGN_OR_RETURN(jobs::Brand brand, ctx.app.GetBrand(call.workspace_id, id));
  return JsonResponse(200, BrandJson(brand).dump());
}

Result<http::Response> UpdateBrand(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_ASSIGN_OR_RETURN(jobs::Brand brand, ctx.app.GetBrand(call.workspace_id, id));
  CR_ASSIGN_OR_RETURN(brand, BrandFromBody(ctx, call, brand, false));
  CR_RETURN_IF_ERROR(ctx.app.UpdateBrand(brand));
  ctx.Audit(call, "brand.update", "brand:" + std::to_string(id));
  return JsonResponse(200, BrandJson(brand).dump());
}

Result<http::Response> DeleteBrand(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_RETURN_IF_ERROR(ctx.app.DeleteBrand(call.workspace_id, id));
  ctx.Audit(call, "brand.delete", "brand:" + std::to_string(id));
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void AddBrandRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  using jobs::Role;
  auto add = [&](const char* method, const char* pattern, Role role, Result<http::Response> (*fn)(ApiContext&, Call&)) {
    router.Add({method, pattern, "", Access::kWorkspaceRole, role, [c, fn](Call& call) { return fn(*c, call); }});
  };
  add("GET", "/api/v1/workspaces/{ws}/brands", Role::kViewer, ListBrands);
  add("POST", "/api/v1/workspaces/{ws}/brands", Role::kEditor, CreateBrand);
  add("GET", "/api/v1/workspaces/{ws}/brands/{id}", Role::kViewer, GetBrand);
  add("PATCH", "/api/v1/workspaces/{ws}/brands/{id}", Role::kEditor, UpdateBrand);
  add("DELETE", "/api/v1/workspaces/{ws}/brands/{id}", Role::kAdmin, DeleteBrand);
}

}  // namespace cutroom::server::api
