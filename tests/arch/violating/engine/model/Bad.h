// A deliberate violation: the layering check must reject this tree.
#include <QWidget>
