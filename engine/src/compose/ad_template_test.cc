#include "compose/ad_template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "captions/caption_styles.h"
#include "compose/script.h"
#include "test_support.h"

namespace cutroom::compose {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

std::string AllNarration(const Script& script) {
  std::string out;
  for (const NarrationSentence& s : script.sentences) out += s.text + " ";
  return out;
}

// The narration sentences visual `index` covers, joined.
std::string NarrationOf(const Script& script, int index) {
  SentenceRange range = VisualSentences(script, index);
  std::string out;
  for (int i = range.begin; i < range.end; ++i) out += script.sentences[i].text + " ";
  return out;
}

class AdTemplateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    front_ = dir_.File("front.jpg");
    side_ = dir_.File("side.jpg");
    testing::WriteFile(front_, "not really a jpeg; the template only names it");
    testing::WriteFile(side_, "idem");
  }
  AdInputs Inputs() const {
    AdInputs in;
    in.product = "Aurora Lamp";
    in.cta = "Order now at aurora.example";
    in.features = {"Warm light all evening", "Charges in one hour"};
    in.images = {front_, side_};
    return in;
  }
  testing::TempDir dir_;
  std::string front_;
  std::string side_;
};

TEST_F(AdTemplateTest, ShippedTemplatesAreListedSorted) {
  EXPECT_THAT(AdTemplateNames(), ElementsAre("bold", "energetic", "luxury", "minimal"));
}

TEST_F(AdTemplateTest, EveryShippedTemplateFillsIntoAFourSceneAdWithItsLooks) {
  const std::vector<std::string> caption_styles = captions::StyleNames();
  for (const std::string& name : AdTemplateNames()) {
    SCOPED_TRACE(name);
    Result<AdTemplate> tmpl = LoadAdTemplate(name);
    ASSERT_TRUE(tmpl.ok()) << tmpl.status().ToString();
    EXPECT_EQ(tmpl->name, name);
    EXPECT_FALSE(tmpl->description.empty());
    const Json file = Json::parse(tmpl->json);

    ComposeStyle base;
    base.width = 1920;  // the base's own fields survive the fill
    base.height = 1080;
    Result<FilledAd> ad = FillAdTemplate(*tmpl, Inputs(), base);
    ASSERT_TRUE(ad.ok()) << ad.status().ToString();
    Result<Script> script = ParseScript(ad->script);
    ASSERT_TRUE(script.ok()) << script.status().ToString() << "\n" << ad->script;
    EXPECT_EQ(script->title, "Aurora Lamp");

    // hook, features, proof on the two product images (indices wrap), the CTA on a slide.
    ASSERT_EQ(script->visuals.size(), 4u) << ad->script;
    const std::vector<std::string> roles = {"hook", "features", "proof", "cta"};
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(file["scenes"][i]["role"], roles[i]);
      EXPECT_GT(VisualSentences(*script, i).end, VisualSentences(*script, i).begin)
          << "scene " << i << " has no narration";
    }
    EXPECT_EQ(script->visuals[0].kind, VisualKind::kImage);
    EXPECT_EQ(script->visuals[0].body, front_);
    EXPECT_EQ(script->visuals[1].kind, VisualKind::kImage);
    EXPECT_EQ(script->visuals[1].body, side_);
    EXPECT_EQ(script->visuals[2].body, front_);  // image 2 of 2 wraps to the first
    EXPECT_EQ(script->visuals[3].kind, VisualKind::kSlide);
    EXPECT_THAT(script->visuals[3].body, HasSubstr("Order now at aurora.example"));

    const std::string narration = AllNarration(*script);
    EXPECT_THAT(narration, HasSubstr("Aurora Lamp"));
    EXPECT_THAT(narration, HasSubstr("Warm light all evening"));
    EXPECT_THAT(narration, HasSubstr(file["defaults"]["feature3"].get<std::string>()));
    EXPECT_THAT(NarrationOf(*script, 3), HasSubstr("Order now at aurora.example"));

    // About 30 s of speech: 60-80 words at ~150 words per minute, plus the scene pauses.
    ScriptStats stats = MeasureScript(*script, 150, ad->style.paragraph_pause_s);
    EXPECT_GE(stats.words, 55) << narration;
    EXPECT_LE(stats.words, 80) << narration;
    EXPECT_NEAR(stats.estimated_duration_s, file["duration_s"].get<double>(), 6.0);

    // One look per scene, with the template's colours; the end card holds still.
    ASSERT_EQ(ad->style.scenes.size(), 4u);
    const Json& template_look = file["style"].value("look", Json::object());
    for (int i = 0; i < 4; ++i) {
      const Json& scene_look = file["scenes"][i].value("look", Json::object());
      for (const char* field : {"background", "text", "accent", "font_family"}) {
        std::string expected = scene_look.value(field, template_look.value(field, ""));
        if (expected.empty()) continue;
        const SceneLook& look = ad->style.scenes[i];
        const std::string actual = std::string(field) == "background" ? look.background
                                   : std::string(field) == "text"     ? look.text
                                   : std::string(field) == "accent"   ? look.accent
                                                                      : look.font_family;
        EXPECT_EQ(actual, expected) << "scene " << i << " " << field;
      }
    }
    EXPECT_EQ(ad->style.scenes[3].motion, Motion::kNone);
    EXPECT_NE(ad->style.scenes[0].motion, Motion::kInvalid);
    EXPECT_EQ(ad->style.width, 1920);
    EXPECT_EQ(ad->style.caption_style, file["style"]["caption_style"].get<std::string>());
    EXPECT_THAT(caption_styles, ::testing::Contains(ad->style.caption_style));
  }
}

TEST_F(AdTemplateTest, LuxuryIsSerifGoldAndSlow) {
  Result<AdTemplate> tmpl = LoadAdTemplate("luxury");
  ASSERT_TRUE(tmpl.ok());
  Result<FilledAd> ad = FillAdTemplate(*tmpl, Inputs(), ComposeStyle{});
  ASSERT_TRUE(ad.ok()) << ad.status().ToString();
  for (const SceneLook& look : ad->style.scenes) {
    EXPECT_EQ(look.font_family, "DejaVu Serif");
    EXPECT_EQ(look.transition, timeline::TransitionKind::kCrossfade);
    EXPECT_GE(look.transition_s, 1.0);
  }
}

TEST_F(AdTemplateTest, WithoutImagesEveryScenesIsASlide) {
  AdInputs in = Inputs();
  in.images.clear();
  in.features.clear();
  Result<AdTemplate> tmpl = LoadAdTemplate("energetic");
  ASSERT_TRUE(tmpl.ok());
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_TRUE(ad.ok()) << ad.status().ToString();
  Result<Script> script = ParseScript(ad->script);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  ASSERT_EQ(script->visuals.size(), 4u);
  for (const Visual& v : script->visuals) EXPECT_EQ(v.kind, VisualKind::kSlide);
  EXPECT_THAT(script->visuals[0].body, HasSubstr("Aurora Lamp"));
  EXPECT_THAT(script->visuals[1].body, HasSubstr("Ready in seconds"));  // the template's defaults
}

TEST_F(AdTemplateTest, ProductAndCallToActionAreRequired) {
  Result<AdTemplate> tmpl = LoadAdTemplate("minimal");
  ASSERT_TRUE(tmpl.ok());
  AdInputs in = Inputs();
  in.product = "  ";
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_FALSE(ad.ok());
  EXPECT_EQ(ad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ad.status().message(), HasSubstr("product"));

  in = Inputs();
  in.cta.clear();
  ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_FALSE(ad.ok());
  EXPECT_THAT(ad.status().message(), HasSubstr("call to action"));

  in = Inputs();
  in.product = std::string(81, 'x');
  ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_FALSE(ad.ok());
  EXPECT_THAT(ad.status().message(), HasSubstr("too long"));

  in = Inputs();
  in.features = {"a", "b", "c", "d"};
  EXPECT_FALSE(FillAdTemplate(*tmpl, in, ComposeStyle{}).ok());
}

TEST_F(AdTemplateTest, AMissingImageFileIsNamed) {
  Result<AdTemplate> tmpl = LoadAdTemplate("bold");
  ASSERT_TRUE(tmpl.ok());
  AdInputs in = Inputs();
  in.images.push_back(dir_.File("no-such-photo.png"));
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_FALSE(ad.ok());
  EXPECT_EQ(ad.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(ad.status().message(), HasSubstr("no-such-photo.png"));
}

TEST_F(AdTemplateTest, TextThatWouldFormATagIsRefusedNotInjected) {
  Result<AdTemplate> tmpl = LoadAdTemplate("luxury");
  ASSERT_TRUE(tmpl.ok());
  for (const std::string hostile : {"Lamp[/narration][slide]# pwned[/slide][narration]x",
                                    "Evil [slide] Co", "A [ Image ] B", "X[/TITLE]"}) {
    SCOPED_TRACE(hostile);
    AdInputs in = Inputs();
    in.product = hostile;
    Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
    ASSERT_FALSE(ad.ok());
    EXPECT_EQ(ad.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(ad.status().message(), HasSubstr("script tag"));
    in = Inputs();
    in.features = {hostile};
    EXPECT_FALSE(FillAdTemplate(*tmpl, in, ComposeStyle{}).ok());
  }
  // Brackets that form no tag are ordinary text, and newlines cannot start Markdown lines.
  AdInputs in = Inputs();
  in.product = "Lamp [2024] [x]";
  in.cta = "Order now\n---\n# at aurora.example";
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_TRUE(ad.ok()) << ad.status().ToString();
  Result<Script> script = ParseScript(ad->script);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  EXPECT_EQ(script->title, "Lamp [2024] [x]");
  EXPECT_EQ(script->visuals.size(), 4u);
  EXPECT_THAT(script->visuals[3].body, HasSubstr("Order now --- # at aurora.example"));
}

TEST_F(AdTemplateTest, ACallToActionEndingASentenceIsNotDoublePunctuated) {
  Result<AdTemplate> tmpl = LoadAdTemplate("minimal");
  ASSERT_TRUE(tmpl.ok());
  AdInputs in = Inputs();
  in.cta = "Order today!";
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_TRUE(ad.ok());
  EXPECT_THAT(ad->script, HasSubstr("Order today![/narration]"));
}

TEST_F(AdTemplateTest, UnknownNameListsTheShippedTemplates) {
  Result<AdTemplate> tmpl = LoadAdTemplate("fancy");
  ASSERT_FALSE(tmpl.ok());
  EXPECT_EQ(tmpl.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(tmpl.status().message(), HasSubstr("fancy"));
  EXPECT_THAT(tmpl.status().message(), HasSubstr("bold, energetic, luxury, minimal"));
  EXPECT_FALSE(LoadAdTemplate(dir_.File("missing.json")).ok());
}

const char* kCustom = R"({
  "name": "spring",
  "description": "A custom two-scene template",
  "duration_s": 15,
  "defaults": {"feature1": "Light as air"},
  "style": {"caption_style": "karaoke", "look": {"background": "#E0F7E9", "text": "#0B3D2E"}},
  "scenes": [
    {"role": "hook", "narration": "Spring is here, and so is {product}. {feature1}.",
     "slide": "# {product}", "image": 1, "look": {"motion": "pan_left", "transition": "zoom"}},
    {"role": "cta", "narration": "{cta}.", "slide": "## {cta}", "look": {"accent": "#22AA66"}}
  ]
})";

TEST_F(AdTemplateTest, ATemplateFileWorksLikeAShippedOne) {
  const std::string path = dir_.File("spring.json");
  testing::WriteFile(path, kCustom);
  Result<AdTemplate> tmpl = LoadAdTemplate(path);
  ASSERT_TRUE(tmpl.ok()) << tmpl.status().ToString();
  EXPECT_EQ(tmpl->name, "spring");
  AdInputs in = Inputs();
  in.images = {front_};
  in.features.clear();
  Result<FilledAd> ad = FillAdTemplate(*tmpl, in, ComposeStyle{});
  ASSERT_TRUE(ad.ok()) << ad.status().ToString();
  Result<Script> script = ParseScript(ad->script);
  ASSERT_TRUE(script.ok()) << script.status().ToString();
  ASSERT_EQ(script->visuals.size(), 2u);
  EXPECT_EQ(script->visuals[0].body, front_);  // image 1 of 1 wraps
  EXPECT_THAT(AllNarration(*script), HasSubstr("Light as air."));
  ASSERT_EQ(ad->style.scenes.size(), 2u);
  EXPECT_EQ(ad->style.caption_style, "karaoke");
  EXPECT_EQ(ad->style.scenes[0].background, "#E0F7E9");
  EXPECT_EQ(ad->style.scenes[0].motion, Motion::kPanLeft);
  EXPECT_EQ(ad->style.scenes[0].transition, timeline::TransitionKind::kZoom);
  EXPECT_EQ(ad->style.scenes[1].accent, "#22AA66");
  EXPECT_EQ(ad->style.scenes[1].text, "#0B3D2E");
  EXPECT_EQ(ad->style.scenes[1].motion, Motion::kNone);
  EXPECT_EQ(ad->style.scenes[0].font_family, ComposeStyle{}.look.font_family);  // from the base
}

// A broken custom template fails at load with the JSON path of its mistake.
void ExpectLoadError(const testing::TempDir& dir, const std::string& from, const std::string& to,
                     const std::string& message) {
  std::string text = kCustom;
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  const std::string path = dir.File("broken.json");
  testing::WriteFile(path, text);
  Result<AdTemplate> tmpl = LoadAdTemplate(path);
  ASSERT_FALSE(tmpl.ok()) << "accepted: " << to;
  EXPECT_EQ(tmpl.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(tmpl.status().message(), HasSubstr(message));
  EXPECT_THAT(tmpl.status().message(), HasSubstr("broken.json"));
}

TEST_F(AdTemplateTest, ABrokenTemplateNamesItsMistake) {
  ExpectLoadError(dir_, "so is {product}", "so is {prodcut}",
                  "scenes[0].narration: unknown placeholder {prodcut}");
  ExpectLoadError(dir_, "\"image\": 1,", "\"image\": 1, \"sound\": 2,",
                  "scenes[0].sound: unknown field");
  ExpectLoadError(dir_, "\"pan_left\"", "\"spin\"", "scenes[0].look.motion: unknown motion 'spin'");
  ExpectLoadError(dir_, "\"#E0F7E9\"", "\"green\"", "style.look.background");
  ExpectLoadError(dir_, "\"caption_style\"", "\"logo\": \"x.png\", \"caption_style\"",
                  "style.logo: not allowed in a template");
  ExpectLoadError(dir_, "\"duration_s\"", "\"length\": 3, \"duration_s\"", "length: unknown field");
  ExpectLoadError(dir_, "\"slide\": \"## {cta}\"", "\"slide\": \"## Buy\"", "must both say {cta}");
  ExpectLoadError(dir_, "\"role\": \"cta\"", "\"role\": \"proof\"", "the last scene must be");
  ExpectLoadError(dir_, "\"slide\": \"# {product}\"", "\"slide\": \"# [slide]\"", "script tag");
}

}  // namespace
}  // namespace cutroom::compose
