/// Okabe and Ito's eight colours, told apart with every common form of colour
/// blindness; series take them in order.
public enum Palette {
    public static let colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    public static func color(_ index: Int) -> String { colors[((index % colors.count) + colors.count) % colors.count] }

    /// Axes, grid and labels: grey enough for a light or a dark page.
    public static let axis = "#8c959f"
    public static let grid = "#8c959f"
}
