namespace Sidecar.Engine.Policies;

/// <summary>
/// Which policy decides a request descriptor, with what that policy found when it took the descriptor
/// (OpenRouter: where the account entry is, and whether the model is free), so that no descriptor
/// is classified twice.
/// </summary>
/// <param name="Policy">The policy that took the descriptor.</param>
/// <param name="First">The policy's first note on the descriptor.</param>
/// <param name="Second">The policy's second note on the descriptor.</param>
public readonly record struct DescriptorRoute(RoutedPolicy Policy, byte First = 0, byte Second = 0);
