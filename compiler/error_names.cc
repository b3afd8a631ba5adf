// The error-name catalog (error_names.h). Sources of the lists: docs/spec.md, "Error names".
#include "error_names.h"

#include <algorithm>
#include <variant>

#include "check_util.h"
#include "diag.h"
#include "step_kinds.h"
#include "task_errors.h"

namespace orchc {

namespace {

// "Task.ExitCode.<N>" with N a decimal 0-255 without leading zeros.
bool IsExitCodeName(const std::string& name) {
  if (!name.starts_with(kExitCodeErrorPrefix)) return false;
  std::string digits = name.substr(sizeof(kExitCodeErrorPrefix) - 1);
  if (digits.empty() || digits.size() > 3) return false;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  if (digits.size() > 1 && digits[0] == '0') return false;
  return std::stoi(digits) <= 255;
}

// Walks every step of the workflow (branches included) without recursion.
template <typename F>
void ForEachStep(const std::vector<StepSpec>& steps, F f) {
  std::vector<const std::vector<StepSpec>*> todo = {&steps};
  while (!todo.empty()) {
    const std::vector<StepSpec>* list = todo.back();
    todo.pop_back();
    for (const StepSpec& s : *list) {
      f(s);
      for (const StepList* nested : NestedLists(s)) todo.push_back(nested);
    }
  }
}

}  // namespace

std::string AslErrorName(const std::string& name) {
  return name.starts_with(kCustomErrorPrefix) ? name.substr(sizeof(kCustomErrorPrefix) - 1) : name;
}

const std::vector<std::string>& IntegrationErrors(ErrorSource integration) {
  // ECS RunTask's errors (API_RunTask "Errors"), the .sync failure AmazonECS.Unknown
  // (connect-ecs), and the SDK's base exception.
  static const std::vector<std::string> kEcs = {
      "AmazonECS.Unknown",
      "ECS.AccessDeniedException",
      "ECS.AmazonECSException",
      "ECS.BlockedException",
      "ECS.ClientException",
      "ECS.ClusterNotFoundException",
      "ECS.ConflictException",
      "ECS.InvalidParameterException",
      "ECS.PlatformTaskDefinitionIncompatibilityException",
      "ECS.PlatformUnknownException",
      "ECS.ServerException",
      "ECS.UnsupportedFeatureException"};
  // SNS Publish's errors (API_Publish "Errors") as exception names, and the base exception.
  static const std::vector<std::string> kSns = {"SNS.AmazonSNSException",
                                                "SNS.AuthorizationErrorException",
                                                "SNS.EndpointDisabledException",
                                                "SNS.InternalErrorException",
                                                "SNS.InvalidParameterException",
                                                "SNS.InvalidParameterValueException",
                                                "SNS.InvalidSecurityException",
                                                "SNS.KMSAccessDeniedException",
                                                "SNS.KMSDisabledException",
                                                "SNS.KMSInvalidStateException",
                                                "SNS.KMSNotFoundException",
                                                "SNS.KMSOptInRequiredException",
                                                "SNS.KMSThrottlingException",
                                                "SNS.NotFoundException",
                                                "SNS.PlatformApplicationDisabledException",
                                                "SNS.ValidationException"};
  // DynamoDB's item operations (connect-ddb; the DynamoDB API reference's "Errors").
  static const std::vector<std::string> kDynamoDb = {
      "DynamoDB.AmazonDynamoDBException",
      "DynamoDB.ConditionalCheckFailedException",
      "DynamoDB.InternalServerErrorException",
      "DynamoDB.ItemCollectionSizeLimitExceededException",
      "DynamoDB.ProvisionedThroughputExceededException",
      "DynamoDB.RequestLimitExceeded",
      "DynamoDB.ResourceNotFoundException",
      "DynamoDB.ThrottlingException",
      "DynamoDB.TransactionConflictException"};
  switch (integration) {
    case ErrorSource::kEcs:
      return kEcs;
    case ErrorSource::kSns:
      return kSns;
    case ErrorSource::kDynamoDb:
      return kDynamoDb;
  }
  return kEcs;
}

ErrorNameCatalog::ErrorNameCatalog(const WorkflowSpec& w) {
  std::set<ErrorSource> integrations;
  ForEachStep(w.steps, [&](const StepSpec& s) {
    if (const auto* t = std::get_if<EcsTaskSpec>(&s.body)) {
      integrations.insert(ErrorSource::kEcs);
      // The names `exitCodes.names` gives exit codes are errors the task raises.
      for (const auto& [code, name] : t->exit_codes.names) known_.insert(name.value);
    }
    if (std::holds_alternative<PublishSpec>(s.body)) integrations.insert(ErrorSource::kSns);
    if (const auto* f = std::get_if<FailSpec>(&s.body); f && f->error) {
      known_.insert(*f->error);
    }
  });
  // DynamoDB's errors stay out: only generated states (the overlap lease) call it, and they
  // handle their own errors.
  Build(integrations);
}

ErrorNameCatalog::ErrorNameCatalog(std::set<ErrorSource> integrations,
                                   std::vector<std::string> fail_errors,
                                   std::vector<std::string> exit_code_names) {
  known_.insert(fail_errors.begin(), fail_errors.end());
  known_.insert(exit_code_names.begin(), exit_code_names.end());
  Build(integrations);
}

void ErrorNameCatalog::Build(const std::set<ErrorSource>& integrations) {
  known_.insert(check::StatesErrors().begin(), check::StatesErrors().end());
  for (const char* n : kTaskErrorNames) known_.insert(n);
  for (ErrorSource i : integrations) {
    known_.insert(IntegrationErrors(i).begin(), IntegrationErrors(i).end());
  }
  candidates_.assign(known_.begin(), known_.end());
  candidates_.push_back(std::string(kExitCodeErrorPrefix) + "<N>");
}

std::string ErrorNameCatalog::Check(const std::string& name) const {
  if (name.starts_with(kCustomErrorPrefix)) {
    if (name.size() == sizeof(kCustomErrorPrefix) - 1)
      return "'custom:' needs an error name after it";
    return "";
  }
  if (known_.count(name) || IsExitCodeName(name)) return "";
  std::string msg;
  if (name.starts_with("States.")) {
    msg = "'" + name + "' is not an error Step Functions defines";
  } else if (name.starts_with(kExitCodeErrorPrefix)) {
    msg = "'" + name + "' is not an exit code error (Task.ExitCode.<N>, N from 0 to 255)";
  } else {
    msg = "'" + name + "' is not an error this workflow can raise";
    for (ErrorSource i : {ErrorSource::kEcs, ErrorSource::kSns, ErrorSource::kDynamoDb}) {
      const std::vector<std::string>& errors = IntegrationErrors(i);
      std::string prefix = errors.back().substr(0, errors.back().find('.') + 1);
      if (name.starts_with(prefix) && !known_.count(errors.back())) {
        msg += " (no step of this workflow calls " + prefix.substr(0, prefix.size() - 1) + ")";
        break;
      }
    }
  }
  // Candidates are compared without case first: "Ecs.ServerException" is ECS.ServerException.
  std::string guess;
  for (const std::string& c : candidates_) {
    if (c.size() == name.size() && std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      guess = c;
      break;
    }
  }
  // SNS's API names its errors without "Exception" (InvalidParameter); Step Functions' names
  // have it.
  if (guess.empty() && known_.count(name + "Exception")) guess = name + "Exception";
  if (guess.empty() && !name.starts_with(kExitCodeErrorPrefix)) {
    guess = SpellCheck(name, candidates_);
  }
  if (!guess.empty()) msg += "; did you mean '" + guess + "'?";
  if (!name.starts_with("States.")) {
    msg += " (a name of your own: write 'custom:" + name + "')";
  }
  return msg;
}

}  // namespace orchc
