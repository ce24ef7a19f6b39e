// SPDX-License-Identifier: MIT
#include "scenario.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace tt::llm {

using nlohmann::json;

std::string_view toString(FaultKind kind)
{
    switch (kind) {
    case FaultKind::RateLimited:
        return "http_429";
    case FaultKind::ServerError:
        return "http_500";
    case FaultKind::Unavailable:
        return "http_503";
    case FaultKind::ConnectionReset:
        return "reset";
    case FaultKind::Stall:
        return "stall";
    case FaultKind::TruncatedJson:
        return "truncated_json";
    case FaultKind::MissingHeadings:
        return "missing_headings";
    case FaultKind::SlowTokens:
        return "slow_tokens";
    }
    return "unknown";
}

std::string_view toString(Step step)
{
    switch (step) {
    case Step::ToolCall:
        return "tool_call";
    case Step::Report:
        return "report";
    case Step::Any:
        break;
    }
    return "any";
}

double LatencyModel::timeToFirstTokenMs(int promptTokens) const
{
    return scale * (fixedMs + 1000.0 * promptTokens / std::max(1.0, prefillTokensPerSecond));
}

double LatencyModel::perTokenMs(double tokensPerSecond) const
{
    const double rate = tokensPerSecond > 0 ? tokensPerSecond : decodeTokensPerSecond;
    return scale * 1000.0 / std::max(0.001, rate);
}

namespace {

// Reads fields with the path of each in its error message.
class Reader
{
public:
    Reader(std::string file, std::string& error)
        : m_file(std::move(file))
        , m_error(error)
    { }

    bool fail(const std::string& field, const std::string& expected)
    {
        if (m_error.empty())
            m_error = m_file + ": " + field + ": expected " + expected;
        return false;
    }

    bool number(const json& object, const char* key, const std::string& path, double& out,
        double min, double max)
    {
        if (!object.contains(key))
            return true;
        const json& value = object.at(key);
        if (!value.is_number() || value.get<double>() < min || value.get<double>() > max)
            return fail(path + key, "a number from " + trim(min) + " to " + trim(max));
        out = value.get<double>();
        return true;
    }

private:
    static std::string trim(double value)
    {
        std::string text = std::to_string(value);
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.')
            text.pop_back();
        return text;
    }

    std::string m_file;
    std::string& m_error;
};

std::optional<FaultKind> kindFromName(const std::string& name)
{
    for (FaultKind kind : { FaultKind::RateLimited, FaultKind::ServerError, FaultKind::Unavailable,
             FaultKind::ConnectionReset, FaultKind::Stall, FaultKind::TruncatedJson,
             FaultKind::MissingHeadings, FaultKind::SlowTokens })
        if (toString(kind) == name)
            return kind;
    return std::nullopt;
}

bool readFault(Reader& reader, const json& item, const std::string& path, Fault& fault)
{
    if (!item.is_object())
        return reader.fail(path, "an object {\"kind\": ..., \"when\": ..., \"times\": ...}");
    if (!item.contains("kind") || !item.at("kind").is_string())
        return reader.fail(path + ".kind",
            "one of http_429, http_500, http_503, reset, stall, "
            "truncated_json, missing_headings, slow_tokens");
    const auto kind = kindFromName(item.at("kind").get<std::string>());
    if (!kind)
        return reader.fail(path + ".kind",
            "one of http_429, http_500, http_503, reset, stall, "
            "truncated_json, missing_headings, slow_tokens");
    fault.kind = *kind;
    if (item.contains("when")) {
        const json& when = item.at("when");
        if (!when.is_object())
            return reader.fail(path + ".when", "an object with \"call\" and/or \"step\"");
        if (when.contains("call")) {
            if (!when.at("call").is_number_integer() || when.at("call").get<int64_t>() < 1
                || when.at("call").get<int64_t>() > 1000000)
                return reader.fail(path + ".when.call", "a call index from 1");
            fault.fromCall = when.at("call").get<int>();
        }
        if (when.contains("step")) {
            const json& step = when.at("step");
            const std::string name = step.is_string() ? step.get<std::string>() : "";
            if (name == "tool_call")
                fault.step = Step::ToolCall;
            else if (name == "report")
                fault.step = Step::Report;
            else if (name != "any")
                return reader.fail(path + ".when.step", "\"tool_call\", \"report\" or \"any\"");
        }
    }
    if (item.contains("times")) {
        const json& times = item.at("times");
        if (times.is_string() && times.get<std::string>() == "always")
            fault.times.reset();
        else if (times.is_number_integer() && times.get<int64_t>() >= 1
            && times.get<int64_t>() <= 1000000)
            fault.times = times.get<int>();
        else
            return reader.fail(path + ".times", "a positive integer or \"always\"");
    }
    if (item.contains("probability")) {
        double p = 0;
        if (!reader.number(item, "probability", path + ".", p, 0, 1))
            return false;
        fault.probability = p;
        if (!item.contains("times"))
            fault.times.reset(); // a probability alone applies to every eligible request
    }
    return reader.number(item, "retry_after_s", path + ".", fault.retryAfterSeconds, 0, 3600)
        && reader.number(item, "stall_s", path + ".", fault.stallSeconds, 0, 3600)
        && reader.number(item, "tokens_per_s", path + ".", fault.tokensPerSecond, 0.01, 100000);
}

} // namespace

std::optional<Scenario> parseScenario(
    const std::string& text, const std::string& file, std::string& error)
{
    error.clear();
    Reader reader(file, error);
    const json root = json::parse(text, nullptr, false);
    if (root.is_discarded()) {
        error = file + ": not valid JSON";
        return std::nullopt;
    }
    if (!root.is_object()) {
        reader.fail("(top level)", "an object {\"name\", \"seed\", \"latency\", \"faults\"}");
        return std::nullopt;
    }
    Scenario scenario;
    if (root.contains("name")) {
        if (!root.at("name").is_string()) {
            reader.fail("name", "a string");
            return std::nullopt;
        }
        scenario.name = root.at("name").get<std::string>();
    }
    if (root.contains("description") && root.at("description").is_string())
        scenario.description = root.at("description").get<std::string>();
    if (root.contains("seed")) {
        if (!root.at("seed").is_number_unsigned()) {
            reader.fail("seed", "a non-negative integer");
            return std::nullopt;
        }
        scenario.seed = root.at("seed").get<uint64_t>();
    }
    if (root.contains("latency")) {
        const json& latency = root.at("latency");
        auto& model = scenario.latency;
        if (!latency.is_object()
            || !reader.number(latency, "fixed_ms", "latency.", model.fixedMs, 0, 600000)
            || !reader.number(latency, "prefill_tokens_per_s", "latency.",
                model.prefillTokensPerSecond, 0.01, 1e9)
            || !reader.number(
                latency, "decode_tokens_per_s", "latency.", model.decodeTokensPerSecond, 0.01, 1e9)
            || !reader.number(latency, "scale", "latency.", model.scale, 0, 1000)) {
            reader.fail("latency",
                "an object with fixed_ms, prefill_tokens_per_s, "
                "decode_tokens_per_s, scale");
            return std::nullopt;
        }
    }
    if (root.contains("faults")) {
        const json& faults = root.at("faults");
        if (!faults.is_array()) {
            reader.fail("faults", "a list of faults");
            return std::nullopt;
        }
        for (size_t i = 0; i < faults.size(); ++i) {
            Fault fault;
            if (!readFault(reader, faults[i], "faults[" + std::to_string(i) + "]", fault))
                return std::nullopt;
            scenario.faults.push_back(fault);
        }
    }
    return scenario;
}

} // namespace tt::llm
