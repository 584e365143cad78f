namespace Trading.Core.Options;

/// <summary>
/// Option sensitivities per share: delta, gamma, theta per calendar day, vega per 1 volatility point (0.01), rho per 1 rate point.
/// </summary>
public readonly record struct Greeks(double Delta, double Gamma, double Theta, double Vega, double Rho = 0);
