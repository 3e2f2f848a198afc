import RevisitModel

/// Plates are searched by ``Plate/searchKey(_:)``, the rule the client's local lookup uses too.
public enum PlateKey {
    public static func normalise(_ plate: String) -> String { Plate.searchKey(plate) }
}
