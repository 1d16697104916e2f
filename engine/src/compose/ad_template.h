// Product-ad scene templates (`cutroom compose --template NAME`): four scenes of about 30 s —
// hook, features, proof, call to action on a static end card — filled from the product name, the
// call-to-action text, optional feature lines and product images. Each template is a JSON file
// (docs/compose.md): the scenes' narration and slide text with {product}, {cta}, {feature1..3}
// placeholders, which image each scene shows, and each scene's look (layout colours, fonts,
// motion, transition, text animation) as style.json's SceneLook form. The shipped templates
// (assets/templates/{luxury,energetic,minimal,bold}.json) are compiled in; a path to a JSON file
// works the same way, so a new template needs no code.
//
// A filled template becomes an ordinary tagged script plus a ComposeStyle, and from there the
// compose job is the same as for a written script.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compose/compose_style.h"
#include "cutroom/status.h"

namespace cutroom::compose {

struct AdInputs {
  std::string product;                // required, 1..80 characters
  std::string cta;                    // required, 1..120 characters ("Order at example.com")
  std::vector<std::string> features;  // 0..3 lines; templates have defaults for missing ones
  std::vector<std::string> images;    // 0..4 product image files (scenes name them by index)
};

struct AdTemplate {
  std::string name;
  std::string description;
  std::string json;  // the template file's text
};

// The names of the shipped templates, sorted: bold, energetic, luxury, minimal.
std::vector<std::string> AdTemplateNames();

// A shipped template by name, or a template file when `name_or_path` ends in ".json".
// Errors: unknown name (lists the shipped ones), unreadable file, invalid template (JSON path).
Result<AdTemplate> LoadAdTemplate(const std::string& name_or_path);

struct FilledAd {
  std::string script;  // a tagged script (script.h) that ParseScript accepts
  ComposeStyle style;  // `base` with the template's looks (style.scenes, one per scene) applied
};

// Fills `tmpl` with `inputs`. A scene that names image k uses inputs.images[k % count]; with no
// images it becomes a slide. The last scene's slide is the static end card (Motion::kNone).
// Errors: a missing product or cta, text too long, a missing image file (names it), a template
// whose placeholders are unknown.
Result<FilledAd> FillAdTemplate(const AdTemplate& tmpl, const AdInputs& inputs,
                                const ComposeStyle& base);

}  // namespace cutroom::compose
