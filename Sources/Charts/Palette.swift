/// Okabe and Ito's colours, told apart with every common form of colour
/// blindness; series take them in order. Their black is a mid grey here: a
/// page in dark mode is near black, and black dots on it were no dots; their
/// yellow, pale on white, comes last.
public enum Palette {
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#F0E442"]

    public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }

    /// Axes, grid and labels: grey enough for a light or a dark page.
    public static let axis = "#8c959f"
    public static let grid = "#8c959f"
}
