public enum SettingsPlaceholder {}
