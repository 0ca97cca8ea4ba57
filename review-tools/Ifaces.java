import java.io.*; import java.nio.file.*; import java.util.*; import java.util.zip.*;
public class Ifaces {
  public static void main(String[] a) throws Exception {
    for (String j : new String[]{"apigateway","cognitoidentityprovider","dynamodb","sts"}) {
      String f = "lib/software.amazon.awssdk."+j+"-2.57.8.jar";
      Map<String,String> u = read(Path.of("/tmp/hz/u",f)), s = read(Path.of("/tmp/hz/s",f));
      for (var e : s.entrySet()) if (!e.getValue().equals(u.get(e.getKey()))) System.out.println(e.getKey()+"\n  u="+u.get(e.getKey())+"\n  s="+e.getValue());
    }
  }
  static Map<String,String> read(Path jar) throws Exception {
    Map<String,String> m = new TreeMap<>();
    try (ZipFile z = new ZipFile(jar.toFile())) { for (ZipEntry e : Collections.list(z.entries())) if (e.getName().endsWith(".class")) m.put(e.getName(), hdr(z.getInputStream(e).readAllBytes())); }
    return m;
  }
  static String hdr(byte[] b) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(b)); in.readInt(); in.readUnsignedShort(); int ver=in.readUnsignedShort();
    int n = in.readUnsignedShort(); Object[] cp = new Object[n];
    for (int i=1;i<n;i++){int t=in.readUnsignedByte(); switch(t){case 1->cp[i]=in.readUTF(); case 7,8,16,19,20->cp[i]=in.readUnsignedShort(); case 15->in.skipNBytes(3); case 3,4,9,10,11,12,17,18->in.skipNBytes(4); case 5,6->{in.skipNBytes(8);i++;} default->throw new IOException();}}
    int acc=in.readUnsignedShort(); in.readUnsignedShort(); int sup=in.readUnsignedShort(); int ni=in.readUnsignedShort();
    StringBuilder sb=new StringBuilder("v"+ver+" acc="+acc+" super="+(sup==0?"-":cp[(Integer)cp[sup]])+" ifs=");
    for(int i=0;i<ni;i++) sb.append(cp[(Integer)cp[in.readUnsignedShort()]]).append(',');
    return sb.toString();
  }
}
