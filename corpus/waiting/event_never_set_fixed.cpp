// conc-hazard: 32 event waited but never set (fixed: the loader sets the event on every path, with defaults when loading fails)
// conc-expect-runtime: none
// conc-expect-lint: none
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

// A one-shot event that carries a value: a slot under a mutex plus a condition variable.
class SettingsReady {
 public:
  void set(std::string value) {
    std::lock_guard<std::mutex> lock(mutex_);
    value_ = std::move(value);
    changed_.notify_all();
  }
  std::string wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return value_.has_value(); });
    return *value_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<std::string> value_;
};

SettingsReady ready;

void load(const char* path) {
  if (path[0] != '/') {
    std::fprintf(stderr, "not an absolute path: %s\n", path);
    ready.set("threads=1");  // the defaults: failure is an outcome too
    return;
  }
  ready.set("threads=4");
}

int main() {
  std::thread loader(load, "settings.ini");
  std::printf("settings: %s\n", ready.wait().c_str());
  loader.join();
}
