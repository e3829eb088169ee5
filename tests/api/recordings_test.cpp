// Recordings over HTTP: list (account and per call) with CallSid and
// DateCreated filters and paging, fetch with every field, delete (row and
// file), the media as WAV with and without credentials, MP3 refused, the
// POSTs callwire does not offer, and account scoping. Rows are written
// straight into the store and WAV files into the data dir, as the media
// engine does.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "api_fixture.hpp"
#include "core/sid.hpp"
#include "http/form.hpp"

namespace callwire::api::test {
namespace {

namespace fs = std::filesystem;

// A mono 8 kHz 16-bit PCM WAV of `samples` samples (a ramp, so bytes differ).
std::string make_wav(std::uint32_t samples) {
  auto le = [](std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  std::string w = "RIFF";
  le(w, 36 + samples * 2, 4);
  w += "WAVEfmt ";
  le(w, 16, 4);
  le(w, 1, 2);     // PCM
  le(w, 1, 2);     // mono
  le(w, 8000, 4);  // rate
  le(w, 16000, 4);
  le(w, 2, 2);
  le(w, 16, 2);
  w += "data";
  le(w, samples * 2, 4);
  for (std::uint32_t i = 0; i < samples; ++i) le(w, (i * 37) & 0xffff, 2);
  return w;
}

class Recordings : public ApiTest {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/callwire-api-rec-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    data_dir_ = tmpl;
    ApiTest::SetUp();
  }
  void TearDown() override {
    ApiTest::TearDown();
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }
  ApiConfig api_config() const override {
    ApiConfig c;
    c.data_dir = data_dir_;
    return c;
  }

  // A recording row; with `wav` also its file at the default location.
  store::Recording add(const std::string& account, const std::string& call_sid, const std::string& status,
                       const std::string& wav = {}) {
    store::Recording k;
    k.account_sid = account;
    k.call_sid = call_sid;
    k.status = status;
    if (status == "completed") {
      k.duration = 3;
      k.start_time = std::chrono::sys_days(std::chrono::year(2024) / 3 / 1) + std::chrono::hours(10);
    }
    auto r = store().recordings().save(k);
    EXPECT_TRUE(r.has_value()) << r.error().what();
    if (!r) return {};
    if (!wav.empty()) {
      const fs::path file = fs::path(data_dir_) / store::recording_media_path(account, r->sid);
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << wav;
    }
    return *r;
  }
  fs::path file_of(const store::Recording& k) const {
    return fs::path(data_dir_) / store::recording_media_path(k.account_sid, k.sid);
  }
  std::vector<std::string> listed(const std::string& path_and_query) {
    auto r = get(path_and_query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.json.is_object())
      for (const auto& k : r.json["recordings"]) out.push_back(k["sid"]);
    return out;
  }
  Resp anonymous_get(const std::string& target) { return request(http::Method::Get, target, {}, std::nullopt); }

  std::string data_dir_;
};

TEST_P(Recordings, FetchShowsEveryTwilioField) {
  const std::string call = make_sid("CA");
  const auto k = add(main_auth().sid, call, "completed", make_wav(24000));
  const std::string path = acct() + "/Recordings/" + k.sid;
  auto r = get(path + ".json");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(j["sid"], k.sid);
  EXPECT_EQ(j["account_sid"], main_auth().sid);
  EXPECT_EQ(j["api_version"], "2010-04-01");
  EXPECT_EQ(j["call_sid"], call);
  EXPECT_TRUE(j["conference_sid"].is_null());
  EXPECT_EQ(j["start_time"], "Fri, 01 Mar 2024 10:00:00 +0000");
  EXPECT_EQ(j["duration"], "3");  // a string, as Twilio sends it
  EXPECT_TRUE(j["price"].is_null());
  EXPECT_EQ(j["price_unit"], "USD");
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["channels"], 1);
  EXPECT_EQ(j["source"], "RecordVerb");
  EXPECT_TRUE(j["error_code"].is_null());
  EXPECT_EQ(j["track"], "both");
  EXPECT_TRUE(j["encryption_details"].is_null());
  EXPECT_EQ(j["uri"], path + ".json");
  EXPECT_EQ(j["media_url"], "http://127.0.0.1:" + std::to_string(port()) + path);
  EXPECT_EQ(j["subresource_uris"]["transcriptions"], path + "/Transcriptions.json");
  EXPECT_EQ(j["subresource_uris"]["add_on_results"], path + "/AddOnResults.json");
  EXPECT_TRUE(j["date_created"].is_string());
  EXPECT_TRUE(j["date_updated"].is_string());
  EXPECT_FALSE(j.contains("media_path"));
  EXPECT_EQ(r.body.find(data_dir_), std::string::npos) << "the file path leaked: " << r.body;
  EXPECT_EQ(j.size(), 20u);

  // In progress: no duration yet.
  const auto live = add(main_auth().sid, call, "in-progress");
  auto lr = get(acct() + "/Recordings/" + live.sid + ".json");
  ASSERT_EQ(lr.status, 200) << lr.body;
  EXPECT_TRUE(lr.json["duration"].is_null());
  EXPECT_EQ(lr.json["status"], "in-progress");

  // Under the call, and only under its own call.
  EXPECT_EQ(get(acct() + "/Calls/" + call + "/Recordings/" + k.sid + ".json").json["sid"], k.sid);
  EXPECT_API_ERROR(get(acct() + "/Calls/" + make_sid("CA") + "/Recordings/" + k.sid + ".json"), 404, 20404,
                   k.sid);
}

TEST_P(Recordings, ListsNewestFirstWithFiltersAndPaging) {
  const std::string call_a = make_sid("CA");
  const std::string call_b = make_sid("CA");
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) all.push_back(add(main_auth().sid, i < 3 ? call_a : call_b, "completed").sid);
  const std::vector<std::string> newest(all.rbegin(), all.rend());

  auto r = get(acct() + "/Recordings.json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["page"], 0);
  EXPECT_EQ(r.json["page_size"], 50);
  EXPECT_TRUE(r.json["next_page_uri"].is_null());
  EXPECT_EQ(r.json["uri"], acct() + "/Recordings.json?PageSize=50&Page=0");
  EXPECT_EQ(listed(acct() + "/Recordings.json"), newest);

  // Pages of two, following next_page_uri verbatim; CallSid kept in it.
  std::vector<std::string> paged;
  std::string next = acct() + "/Recordings.json?CallSid=" + call_a + "&PageSize=2";
  int pages = 0;
  while (!next.empty() && pages < 10) {
    auto p = get(next);
    ASSERT_EQ(p.status, 200) << p.body;
    for (const auto& k : p.json["recordings"]) paged.push_back(k["sid"]);
    next = p.json["next_page_uri"].is_string() ? p.json["next_page_uri"].get<std::string>() : "";
    if (!next.empty()) EXPECT_NE(next.find("CallSid=" + call_a), std::string::npos) << next;
    ++pages;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(paged, (std::vector<std::string>{all[2], all[1], all[0]}));

  EXPECT_EQ(listed(acct() + "/Calls/" + call_b + "/Recordings.json"), (std::vector<std::string>{all[4], all[3]}));
  EXPECT_TRUE(listed(acct() + "/Calls/" + make_sid("CA") + "/Recordings.json").empty());

  // DateCreated: rows are created now.
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto day = [](std::chrono::sys_days d) {
    const std::chrono::year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
  };
  const std::string today = day(now);
  const std::string tomorrow = day(now + std::chrono::days(1));
  const std::string yesterday = day(now - std::chrono::days(1));
  EXPECT_EQ(listed(acct() + "/Recordings.json?DateCreated=" + today), newest);
  EXPECT_TRUE(listed(acct() + "/Recordings.json?DateCreated=" + yesterday).empty());
  EXPECT_EQ(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated>", yesterday}})), newest);
  EXPECT_TRUE(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated>", tomorrow}})).empty());
  EXPECT_TRUE(listed(acct() + "/Recordings.json?" + http::form_encode({{"DateCreated<", yesterday}})).empty());
  EXPECT_EQ(listed(acct() + "/Calls/" + call_b + "/Recordings.json?" +
                   http::form_encode({{"DateCreated<", today}})),
            (std::vector<std::string>{all[4], all[3]}));

  EXPECT_API_ERROR(get(acct() + "/Recordings.json?DateCreated=yesterday"), 400, 20001, "DateCreated");
  EXPECT_API_ERROR(get(acct() + "/Recordings.json?CallSid=CA123"), 400, 20001, "CallSid");
  EXPECT_API_ERROR(get(acct() + "/Recordings.json?PageSize=0"), 400, 20001, "PageSize");
}

TEST_P(Recordings, MediaIsTheWavWithoutCredentialsByDefault) {
  const std::string wav = make_wav(8000);
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", wav);
  const std::string path = acct() + "/Recordings/" + k.sid;
  for (const std::string& target : {path, path + ".wav"}) {
    auto r = anonymous_get(target);
    ASSERT_EQ(r.status, 200) << target << ": " << r.body.substr(0, 200);
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""), "audio/x-wav");
    EXPECT_EQ(r.body, wav);
    EXPECT_EQ(get(target).body, wav);  // credentials are accepted too
  }
  EXPECT_API_ERROR(anonymous_get(path + ".mp3"), 415, 20001, "MP3");
  // Unknown sids, another account in the path, a row without its file: 404.
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + make_sid("RE") + ".wav"), 404, 20404, "Recordings");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + make_sid("RE") + ".mp3"), 404, 20404, "Recordings");
  EXPECT_API_ERROR(anonymous_get(acct("AC" + std::string(32, 'e')) + "/Recordings/" + k.sid), 404, 20404, k.sid);
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/REnot-a-sid.wav"), 404, 20404, "REnot-a-sid");
  const auto fileless = add(main_auth().sid, make_sid("CA"), "in-progress");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings/" + fileless.sid + ".wav"), 404, 20404, fileless.sid);
  // The JSON still needs credentials.
  EXPECT_API_ERROR(anonymous_get(path + ".json"), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(anonymous_get(acct() + "/Recordings.json"), 401, 20003, "Authenticate");
  EXPECT_API_ERROR(request(http::Method::Delete, path + ".wav", {}, main_auth()), 405, 20004, "not allowed");
}

TEST_P(Recordings, DeleteRemovesRowAndFileButNotWhileRecording) {
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", make_wav(800));
  ASSERT_TRUE(fs::exists(file_of(k)));
  const std::string path = acct() + "/Recordings/" + k.sid;
  auto d = del(path + ".json");
  EXPECT_EQ(d.status, 204) << d.body;
  EXPECT_TRUE(d.body.empty());
  EXPECT_FALSE(fs::exists(file_of(k)));
  EXPECT_API_ERROR(get(path + ".json"), 404, 20404, k.sid);
  EXPECT_API_ERROR(anonymous_get(path + ".wav"), 404, 20404, k.sid);
  EXPECT_API_ERROR(del(path + ".json"), 404, 20404, k.sid);

  // A row whose file never existed deletes cleanly; a live one is refused.
  const auto absent = add(main_auth().sid, make_sid("CA"), "absent");
  EXPECT_EQ(del(acct() + "/Recordings/" + absent.sid + ".json").status, 204);
  const auto live = add(main_auth().sid, make_sid("CA"), "in-progress", make_wav(80));
  EXPECT_API_ERROR(del(acct() + "/Recordings/" + live.sid + ".json"), 400, 20001, "in-progress");
  EXPECT_TRUE(fs::exists(file_of(live)));
  EXPECT_EQ(get(acct() + "/Recordings/" + live.sid + ".json").status, 200);

  // Through the call's path as well.
  const auto other = add(main_auth().sid, make_sid("CA"), "completed", make_wav(80));
  EXPECT_EQ(del(acct() + "/Calls/" + other.call_sid + "/Recordings/" + other.sid + ".json").status, 204);
  EXPECT_FALSE(fs::exists(file_of(other)));
}

TEST_P(Recordings, UnsupportedPostsAre405WithAllow) {
  const auto k = add(main_auth().sid, make_sid("CA"), "completed");
  auto r = post(acct() + "/Recordings/" + k.sid + ".json", {{"Status", "paused"}});
  EXPECT_API_ERROR(r, 405, 20004, "does not pause");
  EXPECT_EQ(r.headers.get("Allow").value_or(""), "GET, DELETE");
  auto c = post(acct() + "/Calls/" + k.call_sid + "/Recordings.json", {});
  EXPECT_API_ERROR(c, 405, 20004, "does not start recordings");
  EXPECT_EQ(c.headers.get("Allow").value_or(""), "GET");
  EXPECT_API_ERROR(post(acct() + "/Calls/" + k.call_sid + "/Recordings/" + k.sid + ".json", {{"Status", "stopped"}}),
                   405, 20004, "does not pause");
  EXPECT_EQ(get(acct() + "/Recordings/" + k.sid + ".json").json["status"], "completed");  // unchanged
  EXPECT_API_ERROR(post(acct() + "/Recordings.json", {}), 405, 20004, "");
}

TEST_P(Recordings, ScopedToTheAccount) {
  const Auth sub = create_subaccount();
  const auto mine = add(main_auth().sid, make_sid("CA"), "completed", make_wav(80));
  const auto theirs = add(sub.sid, make_sid("CA"), "completed", make_wav(80));

  // A sub-account cannot see the main account's recordings, by any path.
  EXPECT_API_ERROR(get(acct() + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(get(acct() + "/Recordings.json", sub), 404, 20404, "Recordings.json");
  EXPECT_API_ERROR(del(acct() + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(get(acct(sub.sid) + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(del(acct(sub.sid) + "/Recordings/" + mine.sid + ".json", sub), 404, 20404, mine.sid);
  EXPECT_API_ERROR(anonymous_get(acct(sub.sid) + "/Recordings/" + mine.sid + ".wav"), 404, 20404, mine.sid);
  EXPECT_TRUE(fs::exists(file_of(mine)));

  // Each sees its own; the main account reads its sub-account's too.
  EXPECT_EQ(listed(acct() + "/Recordings.json"), std::vector<std::string>{mine.sid});
  auto sub_list = get(acct(sub.sid) + "/Recordings.json", sub);
  ASSERT_EQ(sub_list.status, 200) << sub_list.body;
  ASSERT_EQ(sub_list.json["recordings"].size(), 1u);
  EXPECT_EQ(sub_list.json["recordings"][0]["sid"], theirs.sid);
  EXPECT_EQ(get(acct(sub.sid) + "/Recordings/" + theirs.sid + ".json").status, 200);
  EXPECT_EQ(del(acct(sub.sid) + "/Recordings/" + theirs.sid + ".json").status, 204);
  EXPECT_FALSE(fs::exists(file_of(theirs)));
}

CALLWIRE_API_BACKENDS(Recordings);

// "Enforce HTTP Auth on Media URLs" switched on.
class RecordingMediaAuth : public Recordings {
 protected:
  ApiConfig api_config() const override {
    ApiConfig c = Recordings::api_config();
    c.recording_media_require_auth = true;
    return c;
  }
};

TEST_P(RecordingMediaAuth, MediaNeedsTheAccountsCredentials) {
  const std::string wav = make_wav(160);
  const auto k = add(main_auth().sid, make_sid("CA"), "completed", wav);
  const std::string path = acct() + "/Recordings/" + k.sid;
  for (const std::string& target : {path, path + ".wav", path + ".mp3"})
    EXPECT_API_ERROR(anonymous_get(target), 401, 20003, "Authenticate");
  EXPECT_EQ(get(path).body, wav);
  EXPECT_EQ(get(path + ".wav").body, wav);
  EXPECT_API_ERROR(get(path + ".mp3"), 415, 20001, "MP3");
  const Auth sub = create_subaccount();
  EXPECT_API_ERROR(get(path + ".wav", sub), 404, 20404, "Recordings");
}

CALLWIRE_API_BACKENDS(RecordingMediaAuth);

}  // namespace
}  // namespace callwire::api::test
